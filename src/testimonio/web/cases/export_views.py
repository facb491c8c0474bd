"""Download a project's records and encounters as CSV or XLSX: what the member's role may see.

The file is built in memory and sent as an attachment; the export (and, when identities are
asked for, every record's reveal) is in the audit log. Identities are offered only to roles with
``export_identities`` and granted only as the identity policy says (second factor in this
session, a reason, the cap); a refusal is shown on the page. A POST, not a GET: an export is an
audited act, which a browser's prefetch must not trigger.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from testimonio.errors import PermissionDenied
from testimonio.web.accounts.identity_policy import export_cap, member_requester
from testimonio.web.accounts.permissions import may, membership_with
from testimonio.web.cases.actions.exports import IdentityRequest, do_export_project_bytes

CONTENT_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        choices=[(".xlsx", gettext_lazy("Excel workbook (.xlsx)")), (".csv", "CSV (.csv)")],
        label=gettext_lazy("Format"),
        initial=".xlsx",
        required=False,
    )
    identities = forms.BooleanField(
        required=False,
        label=gettext_lazy("Add names, birth dates and phones"),
        help_text=gettext_lazy(
            "Each record's identity opened for the file is recorded in the audit log, and "
            "the project's administrators are told. Keep such a file on an encrypted disk and "
            "delete it when done."
        ),
    )
    reason = forms.CharField(
        required=False,
        max_length=300,
        label=gettext_lazy("Why the identities are needed"),
        help_text=gettext_lazy(
            "Required with identities; kept in the audit log and shown to the project's "
            "administrators. Name the task (a filing, a client meeting), never a person."
        ),
    )

    def __init__(self, *args: object, may_export_identities: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not may_export_identities:
            del self.fields["identities"]
            del self.fields["reason"]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("identities") and not str(cleaned.get("reason") or "").strip():
            self.add_error("reason", gettext("State why the identities are needed."))
        return cleaned


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_with(request.user, slug, "export")
    project = membership.project
    identities_allowed = may(membership, "export_identities")
    form = ExportForm(
        request.POST if request.method == "POST" else None,
        may_export_identities=identities_allowed,
    )
    context = {"membership": membership, "project": project, "form": form, "cap": export_cap()}
    if request.method == "POST" and form.is_valid():
        suffix = form.cleaned_data.get("format") or ".xlsx"
        identities = identities_allowed and bool(form.cleaned_data.get("identities"))
        asked = (
            IdentityRequest(member_requester(request, membership), form.cleaned_data["reason"])
            if identities
            else None
        )
        try:
            result, content = do_export_project_bytes(
                project, request.user, suffix, identities=asked
            )
        except PermissionDenied as refusal:
            context["refusal"] = str(refusal)
            return render(request, "cases/export.html", context, status=403)
        response = HttpResponse(content, content_type=CONTENT_TYPES[suffix])
        kind = "identities" if identities else "pseudonymous"
        response["Content-Disposition"] = (
            f'attachment; filename="{project.slug}-{kind}-export{suffix}"'
        )
        response["X-Export-Rows"] = str(result.rows)
        return response
    return render(request, "cases/export.html", context)
