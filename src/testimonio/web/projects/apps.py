from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    """Setting a project up from the browser: creating it, its settings and its sources."""

    name = "testimonio.web.projects"
    label = "projects"
    verbose_name = "Project setup"
    default_auto_field = "django.db.models.BigAutoField"
