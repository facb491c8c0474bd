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

from testimonio.web.db.faults import storage_fault

logger = logging.getLogger(__name__)

PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    "<title>Not saved: storage problem - Testimonio</title></head>"
    '<body><main><h1>Nothing was saved</h1><p role="alert">{}.</p>'
    "<p>Tell the administrator of this server; what you entered was not stored, so you "
    "can try again once they have fixed it.</p></main></body></html>"
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
        response = HttpResponse(format_html(PAGE, str(fault)), status=503)
        response["Retry-After"] = "60"
        return response
