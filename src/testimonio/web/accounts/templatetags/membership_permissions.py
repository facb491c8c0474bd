"""``{{ membership|may:"run_analyses" }}``: the permission check templates use to show links."""

from __future__ import annotations

from django import template

from testimonio.web.accounts import permissions
from testimonio.web.accounts.models import Membership

register = template.Library()


@register.filter
def may(membership: Membership, capability: str) -> bool:
    return permissions.may(membership, capability)
