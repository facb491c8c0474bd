from django.apps import AppConfig


class IntakeConfig(AppConfig):
    """Testimonies entered by hand, their drafts, and the project's case list."""

    name = "testimonio.web.intake"
    label = "intake"
    verbose_name = "Intake"
    default_auto_field = "django.db.models.BigAutoField"
