from django.apps import AppConfig


class DeclarationsConfig(AppConfig):
    name = "testimonio.web.declarations"
    label = "declarations"
    verbose_name = "Declarations"
