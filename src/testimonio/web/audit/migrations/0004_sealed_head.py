"""Seal the chain's head with the audit key and record where keyed (HMAC) events begin.

Events already written keep their plain SHA-256 hashes and verify as before: ``keyed_from``
stays empty until ``testimonio init`` seals them (or, on an empty chain, the first append),
and every event from then on is keyed. Only the head table changes: the events' table keeps
its append-only triggers untouched.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_unindexed_hash")]

    operations = [
        migrations.AddField(
            model_name="audithead",
            name="keyed_from",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="audithead",
            name="key_id",
            field=models.CharField(
                blank=True, default="", help_text="Public id of the audit key.", max_length=16
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="audithead",
            name="seal",
            field=models.CharField(blank=True, default="", max_length=64),
            preserve_default=False,
        ),
    ]
