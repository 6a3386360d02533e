from django.apps import AppConfig


class ClubConfig(AppConfig):
    name = "club"
    verbose_name = "Club PVD"

    def ready(self) -> None:
        # The Club tab of a commune's dossier (conventions does not import this app).
        from club.views.dossier import section_dossier
        from conventions.sections import Section, register

        register(
            Section(
                key="club",
                titre="Club",
                template="club/_section_dossier.html",
                context=section_dossier,
                ordre=40,
            )
        )
