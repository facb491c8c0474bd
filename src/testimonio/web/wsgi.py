"""WSGI entry point for production servers (gunicorn, uwsgi)."""

import os

from django.core.wsgi import get_wsgi_application

from testimonio.config import load_config, refuse_open_permissions

refuse_open_permissions(load_config())  # before serving anything: see docs/security.md
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "testimonio.web.settings")
application = get_wsgi_application()
