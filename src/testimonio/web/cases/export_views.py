"""Download a project's records and encounters as CSV or XLSX: what the member's role may see.

The file is built in memory and sent as an attachment; the export (and, when identities are
asked for by a role that may see them, every record's reveal) is in the audit log. A POST, not
a GET: an export is an audited act, which a browser's prefetch must not trigger.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from testimonio.web.accounts.permissions import may, membership_with
from testimonio.web.cases.actions.exports import do_export_project_bytes

CONTENT_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        choices=[(".xlsx", "Excel workbook (.xlsx)"), (".csv", "CSV (.csv)")],
        initial=".xlsx",
        required=False,
    )
    identities = forms.BooleanField(
        required=False,
        label="Add names, birth dates and phones",
        help_text="Each record's identity opened for the file is recorded in the audit log. "
        "Keep such a file on an encrypted disk and delete it when done.",
    )

    def __init__(self, *args: object, may_see_identities: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not may_see_identities:
            del self.fields["identities"]


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_with(request.user, slug, "export")
    project = membership.project
    identities_allowed = may(membership, "view_identity")
    form = ExportForm(
        request.POST if request.method == "POST" else None,
        may_see_identities=identities_allowed,
    )
    if request.method == "POST" and form.is_valid():
        suffix = form.cleaned_data.get("format") or ".xlsx"
        identities = identities_allowed and bool(form.cleaned_data.get("identities"))
        result, content = do_export_project_bytes(
            project, request.user, suffix, identities=identities
        )
        response = HttpResponse(content, content_type=CONTENT_TYPES[suffix])
        kind = "identities" if identities else "pseudonymous"
        response["Content-Disposition"] = (
            f'attachment; filename="{project.slug}-{kind}-export{suffix}"'
        )
        response["X-Export-Rows"] = str(result.rows)
        return response
    context = {"membership": membership, "project": project, "form": form}
    return render(request, "cases/export.html", context)
