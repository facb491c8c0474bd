"""A GIN index on the records' vulnerability codes, on PostgreSQL only.

The case list's vulnerability filter asks, for each person it walks, whether one of their
records holds a code (``vulnerabilities @> '["VUL.PREGNANT"]'``); without this index
PostgreSQL answered by reading every record of the table. ``jsonb_path_ops`` serves ``@>``
alone, in a smaller index than the default operator class. SQLite has no GIN index (nor the
containment lookup): there the filter matches the list's text, as before.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

INDEX = "record_vulnerabilities_gin"


def create_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_record "
            "USING gin (vulnerabilities jsonb_path_ops)"
        )


def drop_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_given_name_birth_date_indexes"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
