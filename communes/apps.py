from django.apps import AppConfig


class CommunesConfig(AppConfig):
    name = "communes"
    verbose_name = "Territoires et utilisateurs"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from communes.middleware import start_session_limits

        user_logged_in.connect(start_session_limits, dispatch_uid="communes.session_limits")
