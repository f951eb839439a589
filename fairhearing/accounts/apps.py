from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fairhearing.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .second_factor import session_started

        # Sign-in plumbing, not domain logic: a new session's lifetime clocks start.
        user_logged_in.connect(session_started, dispatch_uid="fairhearing-session-started")
