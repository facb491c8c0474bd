"""WSGI entry point for production servers (`testimonio serve`'s waitress, gunicorn, uwsgi)."""

import os

from django.core.wsgi import get_wsgi_application

from testimonio.config import load_config, refuse_open_permissions

refuse_open_permissions(load_config())  # before serving anything: see docs/security.md
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "testimonio.web.settings")
application = get_wsgi_application()

from testimonio.web.heap import freeze_startup_heap  # noqa: E402 - needs Django set up

# Before the first request: a collection must not walk the start-up heap (web/heap.py).
freeze_startup_heap()
