from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "testimonio.web.cases"
    label = "cases"
    verbose_name = "Cases"
