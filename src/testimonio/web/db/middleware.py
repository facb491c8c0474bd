"""A storage fault on a page: one clear message (HTTP 503), not a server error page.

Why: a full disk, a read-only database or a lost database connection is the operator's to fix,
and the person who pressed "Import" needs to know that nothing was saved. The request's writes
ran in one transaction, already rolled back by the time the exception reaches here. The page
is self-contained: it must not touch the database (the session, the user) that just failed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

from testimonio.web.db.faults import storage_fault

logger = logging.getLogger(__name__)

PAGE = (
    '<!doctype html><html lang="{}"><head><meta charset="utf-8">'
    "<title>{} - Testimonio</title></head>"
    '<body><main><h1>{}</h1><p role="alert">{}.</p>'
    "<p>{}</p></main></body></html>"
)


def _page(fault: str) -> str:
    """The 503 page in the language of the request (LocaleMiddleware has chosen it)."""
    return format_html(
        PAGE,
        get_language() or "en",
        gettext("Not saved: storage problem"),
        gettext("Nothing was saved"),
        fault,
        gettext(
            "Tell the administrator of this server; what you entered was not stored, so you "
            "can try again once they have fixed it."
        ),
    )


class StorageFaultMiddleware:
    """Turns a storage fault raised by a view into a 503 page that says what happened."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        fault = storage_fault(exception)
        if fault is None:
            return None  # a bug: Django's own handling (500, logged with its traceback)
        # The kind of fault only: the database's message could quote a row's values.
        logger.error("storage fault on %s: %s", request.method, type(exception).__name__)
        response = HttpResponse(_page(str(fault)), status=503)
        response["Retry-After"] = "60"
        return response
