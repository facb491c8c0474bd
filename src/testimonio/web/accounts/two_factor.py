"""The second factor: set up an authenticator app once, then enter its code at each login.

A code is accepted once: django-otp's TOTP device remembers the last time step used, so a
code seen over someone's shoulder cannot be replayed.
"""

from __future__ import annotations

import base64

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from testimonio.web.accounts.actions import do_confirm_totp_device, do_start_totp_setup


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        min_length=6,
        # Never echoed back: whatever was typed stays out of the page.
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if device is None:
        device = do_start_totp_setup(user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            if setting_up:
                do_confirm_totp_device(user, device)
            otp_login(request, device)
            return redirect(request.GET.get("next") or "cases:project_list")
        form.add_error("code", "That code is wrong, expired or already used. Try the next one.")
    context = {"form": form, "setting_up": setting_up}
    if setting_up:
        context["secret"] = base64.b32encode(device.bin_key).decode("ascii")
        context["config_url"] = device.config_url
    return render(request, "accounts/two_factor.html", context)
