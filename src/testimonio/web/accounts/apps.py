from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "testimonio.web.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        """Make logins, failed logins and lockouts audit events (see auth_events)."""
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from testimonio.web.accounts import auth_events

        user_logged_in.connect(auth_events.on_logged_in, dispatch_uid="audit_login")
        user_login_failed.connect(auth_events.on_login_failed, dispatch_uid="audit_login_fail")
        user_locked_out.connect(auth_events.on_locked_out, dispatch_uid="audit_lockout")
