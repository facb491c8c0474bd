"""Documents of a project: list, upload (intake, attorney, admin), download as an attachment.

Documents hold identities, so only roles that may see identities see them; every download is
a custody event and an audit event.
"""

from __future__ import annotations

import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from testimonio.errors import TestimonioError
from testimonio.web.accounts.permissions import membership_with
from testimonio.web.cases.models import Source
from testimonio.web.evidence.actions import do_record_custody, do_register_document
from testimonio.web.evidence.models import CustodyAction, Document
from testimonio.web.evidence.store import read_document
from testimonio.web.evidence.uploads import TOO_LARGE


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Declaration or attachment"))
    source = forms.ModelChoiceField(
        queryset=Source.objects.none(), required=False, label=gettext_lazy("Source")
    )

    def __init__(self, *args: object, project_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["source"].queryset = Source.objects.filter(project_id=project_id)  # type: ignore[attr-defined]


@login_required
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_with(request.user, slug, "view_identity")
    project = membership.project
    form = UploadForm(request.POST or None, request.FILES or None, project_id=project.pk)
    if request.method == "POST":
        if getattr(request, TOO_LARGE, False):
            form.is_valid()  # the skipped file shows as missing; say why instead
            form.errors["file"] = form.error_class(
                [gettext("The file is larger than this instance accepts.")]
            )
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                do_register_document(
                    project,
                    upload.read(),
                    upload.name,
                    request.user,
                    source=form.cleaned_data["source"],
                )
                return redirect("evidence:documents", slug=slug)
            except TestimonioError as error:
                form.add_error("file", str(error))
    listing = Document.objects.filter(project=project).order_by("-received_at")
    context = {"membership": membership, "project": project, "form": form, "documents": listing}
    return render(request, "evidence/documents.html", context)


@login_required
@require_safe
def download(request: HttpRequest, slug: str, document_uuid: str) -> FileResponse:
    membership = membership_with(request.user, slug, "view_identity")
    document = get_object_or_404(Document, project=membership.project, uuid=document_uuid)
    data = read_document(document)
    do_record_custody(document, CustodyAction.EXPORTED, request.user, note="downloaded")
    extension = document.content_type.rsplit("/", 1)[-1][:8]
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        content_type=document.content_type,
        filename=f"document-{document.pk}.{extension}",
    )
