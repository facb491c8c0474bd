"""Start Django from the command line or a notebook, once."""

from __future__ import annotations

import os


def setup_django() -> None:
    """Point Django at our settings and initialise it (idempotent)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "testimonio.web.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
