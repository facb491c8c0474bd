from django.apps import AppConfig


class AnalysesConfig(AppConfig):
    name = "testimonio.web.analyses"
    label = "analyses"
    verbose_name = "Analyses"
