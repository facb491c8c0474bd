"""The second factor: enrol an authenticator with an administrator's invitation, then enter
its code (or a recovery code) at each login.

No trust on first use: after the password alone, an account without a confirmed authenticator
is asked for a one-time invitation code (from an administrator, or ``testimonio users invite``),
and only then shown a secret, a fresh one each time enrolment starts. A TOTP code is accepted
once (django-otp remembers the last time step used); a recovery code is deleted when used.
Passing the second factor rotates the session key, and ``next`` may only lead within this site.
"""

from __future__ import annotations

import base64

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from testimonio.web.accounts.actions import (
    do_finish_enrolment,
    do_start_enrolment,
    valid_invitation,
)
from testimonio.web.accounts.auth_events import audit_auth_event
from testimonio.web.accounts.codes import RECOVERY_CODE_LENGTH, normalised, recovery_hash
from testimonio.web.accounts.models import Invitation

#: Session entry of an enrolment under way: the invitation used and the new device's id.
ENROLMENT_KEY = "testimonio_enrolment"
WRONG_CODE = gettext_lazy("That code is wrong, expired or already used. Try the next one.")
WRONG_INVITATION = gettext_lazy(
    "That enrolment code is wrong, expired or already used. Ask an administrator for a new one."
)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app (or a recovery code)"),
        max_length=32,
        min_length=6,
        # Never echoed back: whatever was typed stays out of the page.
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


class InvitationForm(forms.Form):
    invitation = forms.CharField(
        label=gettext_lazy("Enrolment code from your administrator"),
        max_length=64,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )


def safe_next(request: HttpRequest) -> str:
    """Where to go after the second factor: ``next`` if it stays on this site, else home."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("cases:project_list")


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return _verify(request, user)
    enrolment = _enrolment_under_way(request, user)
    if enrolment is None:
        return _ask_for_invitation(request, user)
    return _confirm_enrolment(request, user, *enrolment)


def _verify(request: HttpRequest, user: User) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if form.is_valid():
        device = _device_accepting(user, form.cleaned_data["code"])
        if device is not None:
            return _passed(request, user, device, redirect(safe_next(request)))
        audit_auth_event(user, "accounts.second_factor.fail", user, request)
        form.add_error("code", WRONG_CODE)
    return render(request, "accounts/two_factor.html", {"form": form, "stage": "verify"})


def _device_accepting(user: User, code: str) -> Device | None:
    """The user's authenticator if ``code`` is its current code, else their recovery-code
    device if ``code`` is one of its unused codes (which is then used up)."""
    code = normalised(code)
    if code.isdigit() and len(code) < RECOVERY_CODE_LENGTH:
        totp = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        return totp if totp is not None and totp.verify_token(code) else None
    recovery = StaticDevice.objects.filter(user=user).first()
    if recovery is not None and recovery.verify_token(recovery_hash(code)):
        return recovery
    return None


def _passed(
    request: HttpRequest, user: User, device: Device, response: HttpResponse
) -> HttpResponse:
    """Mark the session verified, then give it a new key (a session id captured before the
    second factor must not become a verified one)."""
    otp_login(request, device)
    request.session.cycle_key()
    method = "recovery code" if isinstance(device, StaticDevice) else "authenticator"
    audit_auth_event(user, "accounts.second_factor.pass", user, request, method=method)
    return response


def _ask_for_invitation(request: HttpRequest, user: User) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    if form.is_valid():
        invitation = valid_invitation(user, form.cleaned_data["invitation"])
        if invitation is not None:
            device = do_start_enrolment(user, invitation)
            request.session[ENROLMENT_KEY] = {"invitation": invitation.pk, "device": device.pk}
            return redirect(request.get_full_path())
        audit_auth_event(user, "accounts.invitation.fail", user, request)
        form.add_error("invitation", WRONG_INVITATION)
    return render(request, "accounts/two_factor.html", {"form": form, "stage": "invitation"})


def _enrolment_under_way(request: HttpRequest, user: User) -> tuple[Invitation, TOTPDevice] | None:
    """The invitation and new device this session started enrolling with, if still valid."""
    started = request.session.get(ENROLMENT_KEY)
    if not isinstance(started, dict):
        return None
    invitation = Invitation.objects.filter(
        pk=started["invitation"], user=user, used_at__isnull=True
    ).first()
    device = TOTPDevice.objects.filter(pk=started["device"], user=user, confirmed=False).first()
    if invitation is None or device is None:
        request.session.pop(ENROLMENT_KEY, None)
        return None
    return invitation, device


def _confirm_enrolment(
    request: HttpRequest, user: User, invitation: Invitation, device: TOTPDevice
) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(normalised(form.cleaned_data["code"])):
            codes = do_finish_enrolment(user, device, invitation)
            request.session.pop(ENROLMENT_KEY, None)
            page = render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next_url": safe_next(request)},
            )
            return _passed(request, user, device, page)
        audit_auth_event(user, "accounts.second_factor.fail", user, request)
        form.add_error("code", WRONG_CODE)
    context = {
        "form": form,
        "stage": "enrol",
        "secret": base64.b32encode(device.bin_key).decode("ascii"),
        "config_url": device.config_url,
    }
    return render(request, "accounts/two_factor.html", context)
