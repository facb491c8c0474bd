"""LinkRun gets the seed column every run's provenance has (RunProvenance); runs made before
it get the seed their saved settings already held."""

from django.db import migrations, models


def copy_seed_from_settings(apps, schema_editor):  # type: ignore[no-untyped-def]
    LinkRun = apps.get_model("analyses", "LinkRun")
    for run in LinkRun.objects.filter(seed__isnull=True).only("pk", "settings"):
        seed = (run.settings or {}).get("seed")
        if seed is not None:
            LinkRun.objects.filter(pk=run.pk).update(seed=int(seed))


class Migration(migrations.Migration):
    dependencies = [
        ("analyses", "0002_review_pair"),
    ]

    operations = [
        migrations.AddField(
            model_name="linkrun",
            name="seed",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(copy_seed_from_settings, migrations.RunPython.noop),
    ]
