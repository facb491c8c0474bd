from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """Generates a project's evidence packet and public report, and records approvals."""

    name = "testimonio.web.publishing"
    label = "publishing"
    verbose_name = "Publishing"
