"""What every run (linkage, estimation, and the analysis and report runs to come) records so
that it can be repeated and checked: its inputs' hash, settings, seed, package versions, and
who started it when (STYLE.md rule 9).

An abstract model: each kind of run keeps its own table and adds what is its own (the
threshold and metrics of a linkage run, the method, stratum and result of an estimate).
Named ``RunProvenanceModel`` so it is not mistaken for the core's plain record
:class:`testimonio.provenance.RunProvenance`, which holds the same facts without Django.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RunProvenanceModel(models.Model):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    input_hash = models.CharField(max_length=64)
    settings = models.JSONField(default=dict)
    seed = models.BigIntegerField(null=True, blank=True)
    package_versions = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
