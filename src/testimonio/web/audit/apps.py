from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "testimonio.web.audit"
    label = "audit"
    verbose_name = "Audit log"
