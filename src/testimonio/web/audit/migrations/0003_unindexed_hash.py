"""Drop the unique index on audit event hashes (see AuditEvent.hash).

On SQLite, Django alters a column by rebuilding the table, which drops the append-only
triggers of 0002: they are created again after the rebuild (and after the reverse rebuild
when migrating backwards).
"""

from importlib import import_module

from django.db import migrations, models

append_only = import_module("testimonio.web.audit.migrations.0002_append_only_on_postgresql")


def sqlite_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "sqlite":
        for statement in [*append_only.SQLITE_BACKWARD, *append_only.SQLITE_FORWARD]:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_on_postgresql")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, sqlite_triggers),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(max_length=64),
        ),
        migrations.RunPython(sqlite_triggers, migrations.RunPython.noop),
    ]
