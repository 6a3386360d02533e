from django.apps import AppConfig


class IngenierieConfig(AppConfig):
    name = "ingenierie"
    verbose_name = "Ingénierie"

    def ready(self):
        # The Ingénierie tab of a commune's dossier (conventions does not import this app).
        from conventions.sections import Section, register
        from ingenierie.views import section_dossier

        register(
            Section(
                key="ingenierie",
                titre="Ingénierie",
                template="ingenierie/_section_dossier.html",
                context=section_dossier,
                ordre=10,
            )
        )
