"""The page shown when a form's CSRF check fails (``CSRF_FAILURE_VIEW``).

Django's own page is English and technical; a volunteer who left the intake form open past
the session, or posted it from an old tab, must read in their own language what happened and
what to do. Nothing of the refused POST is saved or echoed back (it may hold identities), and
the reason Django gives stays out of the page (it is for developers, and in English).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A friendly 403 with a link that reloads the page the form was on."""
    return render(request, "csrf_failure.html", {"retry": request.path}, status=403)
