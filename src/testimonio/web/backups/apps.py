"""The backups app: no models; it refuses a PostgreSQL server that would lose committed writes."""

from __future__ import annotations

from django.apps import AppConfig
from django.db.backends.signals import connection_created

from testimonio.web.backups.durability import refuse_unsafe_postgres


class BackupsConfig(AppConfig):
    name = "testimonio.web.backups"
    label = "backups"
    verbose_name = "Backups and durable writes"

    def ready(self) -> None:
        connection_created.connect(refuse_unsafe_postgres, dispatch_uid="testimonio-durability")
