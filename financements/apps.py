from django.apps import AppConfig


class FinancementsConfig(AppConfig):
    name = "financements"
    verbose_name = "Mesures et financements"

    def ready(self) -> None:
        # The dossier of a commune shows its actions and its financing lines as tabs, without
        # `conventions` importing this app.
        from conventions.sections import Section, register
        from financements.views.dossier import actions_context, financements_context

        register(
            Section(
                key="actions",
                titre="Actions",
                template="financements/_section_actions.html",
                context=actions_context,
                ordre=20,
            )
        )
        register(
            Section(
                key="financements",
                titre="Financements",
                template="financements/_section_financements.html",
                context=financements_context,
                ordre=30,
            )
        )
