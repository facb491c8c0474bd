"""Account middleware: two factors for attorneys and administrators; no caching of pages.

Attorneys and administrators can reveal identities, so a stolen password alone must not be
enough: until they have verified a TOTP code in this session, every page sends them to the
two-factor page. Pages for signed-in users may show identity data, so browsers and proxies
are told not to store them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from testimonio.web.accounts.models import Membership, Role

Handler = Callable[[HttpRequest], HttpResponse]
TWO_FACTOR_ROLES = (Role.ADMIN, Role.ATTORNEY)


def needs_two_factor(request: HttpRequest) -> bool:
    """Whether the signed-in user must still pass the second factor in this session."""
    user = request.user
    # OTPMiddleware adds is_verified() to the user; the stubs do not know it.
    if not user.is_authenticated or user.is_verified():  # type: ignore[attr-defined]
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user_id=user.pk, role__in=TWO_FACTOR_ROLES).exists()


def two_factor_required(get_response: Handler) -> Handler:
    # The language switch too: someone at the two-factor step may need it to read that page.
    exempt = ("/two-factor/", "/logout/", "/static/", "/i18n/")

    def middleware(request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(exempt) and needs_two_factor(request):
            # Back to the page asked for afterwards (two_factor checks it stays on this site).
            return redirect_to_login(
                request.get_full_path(), reverse("two_factor"), REDIRECT_FIELD_NAME
            )
        return get_response(request)

    return middleware


def no_store_for_members(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response

    return middleware
