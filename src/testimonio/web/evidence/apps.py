from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "testimonio.web.evidence"
    label = "evidence"
    verbose_name = "Evidence"
