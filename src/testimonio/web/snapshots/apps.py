from django.apps import AppConfig


class SnapshotsConfig(AppConfig):
    """Writes a project's pseudonymised analysis snapshot and records analysis runs."""

    name = "testimonio.web.snapshots"
    label = "snapshots"
    verbose_name = "Analysis snapshots"
