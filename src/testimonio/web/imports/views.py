"""The web import, one page per step: upload, preview, mapping, validation and confirm.

Only roles that may import (intake, attorney, admin) see these pages; anyone else gets 404.
Between steps the upload lives only as a sealed :class:`ImportDraft`, found by its random UUID;
each page that reads the file runs its step (:mod:`~testimonio.web.imports.steps`: open the
draft, run the shared ingest pipeline, forget the plaintext) in a child process of its own
(:func:`~testimonio.web.imports.child.run_step`), so the server keeps none of the file's memory.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from testimonio.config import load_config
from testimonio.errors import InputError, TestimonioError
from testimonio.ingest import dump_mapping, parse_mapping, vocabulary_codes
from testimonio.web.accounts.models import Membership
from testimonio.web.accounts.permissions import membership_with
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Source
from testimonio.web.cases.vocabulary_bundle import bundle_of
from testimonio.web.evidence.uploads import TOO_LARGE
from testimonio.web.imports.actions import do_purge_expired_import_drafts, do_set_import_mapping
from testimonio.web.imports.child import run_step
from testimonio.web.imports.draft_files import draft_profile
from testimonio.web.imports.forms import (
    ConfirmForm,
    MappingForm,
    ProfileUploadForm,
    SheetForm,
    UploadForm,
)
from testimonio.web.imports.memory import gives_back_memory
from testimonio.web.imports.models import ImportDraft
from testimonio.web.imports.steps import (
    MappingInputs,
    PreviewPage,
    ValidationPage,
    actor_ref,
)

DraftView = Callable[..., HttpResponse]


def _says_why_a_draft_cannot_be_read(view: DraftView) -> DraftView:
    """A draft that no longer opens (no master key, limits lowered since the upload) gets a
    page saying why, never a traceback."""

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, draft_uuid: UUID) -> HttpResponse:
        try:
            return view(request, slug, draft_uuid)
        except TestimonioError as error:
            membership = membership_with(request.user, slug, "import")
            context = {**_base(membership), "error": str(error)}
            return render(request, "imports/error.html", context)

    return wrapper


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
@gives_back_memory
def imports(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_with(request.user, slug, "import")
    project = membership.project
    do_purge_expired_import_drafts(None)
    form = UploadForm(_data(request), _files(request), project_id=project.pk)
    if request.method == "POST":
        if getattr(request, TOO_LARGE, False):
            form.is_valid()  # the skipped file shows as missing; say why instead
            limit = load_config().max_upload_mb
            form.errors["file"] = form.error_class(
                [gettext("The file is larger than %(limit)s MB.") % {"limit": limit}]
            )
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                draft_uuid = run_step(
                    "create_draft",
                    project.pk,
                    upload.read(),
                    upload.name,
                    actor_ref(request.user),
                    form.source_name(),
                    form.cleaned_data["kind"],
                )
                return redirect("cases:import_preview", slug=slug, draft_uuid=draft_uuid)
            except TestimonioError as error:
                form.add_error("file", str(error))
    context = {
        **_base(membership),
        "form": form,
        "drafts": ImportDraft.objects.filter(project=project).select_related("uploaded_by"),
        "earlier": _earlier_imports(project.pk),
    }
    return render(request, "imports/list.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
@_says_why_a_draft_cannot_be_read
@gives_back_memory
def preview(request: HttpRequest, slug: str, draft_uuid: UUID) -> HttpResponse:
    """The detected format and the first rows; showing them is an audited reveal."""
    membership = membership_with(request.user, slug, "import")
    draft = _draft_or_404(membership, draft_uuid)
    posted = request.POST.urlencode() if request.method == "POST" else None
    page: PreviewPage | None = run_step("preview_page", draft.pk, actor_ref(request.user), posted)
    if page is None:  # the posted sheet was taken
        return redirect("cases:import_mapping", slug=slug, draft_uuid=draft.uuid)
    sheets = [sheet for sheet, _ in page.sheets]
    form = SheetForm(_data(request), sheets=sheets, initial={"sheet": draft.sheet})
    context = {**_base(membership, draft), "page": page, "form": form}
    return render(request, "imports/preview.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
@_says_why_a_draft_cannot_be_read
@gives_back_memory
def mapping(request: HttpRequest, slug: str, draft_uuid: UUID) -> HttpResponse:
    """Review the proposed mapping, or replace it with a saved profile."""
    membership = membership_with(request.user, slug, "import")
    draft = _draft_or_404(membership, draft_uuid)
    inputs: MappingInputs = run_step("mapping_inputs", draft.pk)
    header, profile = inputs.header, draft_profile(draft)
    vocabulary = bundle_of(draft.project.vocabulary)
    uploading = request.method == "POST" and "profile" in request.FILES
    upload = (
        ProfileUploadForm(_data(request), _files(request)) if uploading else ProfileUploadForm()
    )
    form = MappingForm(
        None if uploading else _data(request),
        header=header,
        profile=profile,
        unknown=inputs.unknown,
        codes=vocabulary_codes(vocabulary),
        ambiguous_dates=inputs.ambiguous_dates,
    )
    if uploading and upload.is_valid():
        try:
            saved = parse_mapping(_text(upload.cleaned_data["profile"]), "mapping profile")
            do_set_import_mapping(draft, saved, request.user)
            return redirect("cases:import_mapping", slug=slug, draft_uuid=draft.uuid)
        except TestimonioError as error:
            upload.add_error("profile", str(error))
    elif request.method == "POST" and not uploading and form.is_valid():
        do_set_import_mapping(draft, form.profile(), request.user)
        return redirect("cases:import_validation", slug=slug, draft_uuid=draft.uuid)
    context = {**_base(membership, draft), "form": form, "upload": upload, "header": header}
    return render(request, "imports/mapping.html", context)


@login_required
@require_safe
@_says_why_a_draft_cannot_be_read
def profile_download(request: HttpRequest, slug: str, draft_uuid: UUID) -> HttpResponse:
    """The draft's mapping profile as the YAML file ``testimonio import --mapping`` reads."""
    membership = membership_with(request.user, slug, "import")
    draft = _draft_or_404(membership, draft_uuid)
    response = HttpResponse(dump_mapping(draft_profile(draft)), content_type="application/yaml")
    response["Content-Disposition"] = 'attachment; filename="mapping-profile.yaml"'
    return response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
@_says_why_a_draft_cannot_be_read
@gives_back_memory
def validation(request: HttpRequest, slug: str, draft_uuid: UUID) -> HttpResponse:
    """Counts and the first problems; confirm (all or nothing, or valid rows only) or cancel.

    Counts, problems and what would change are made a chunk at a time, and a confirm validates
    again as it writes, all in the step's child (:func:`~testimonio.web.imports.steps.
    validate_or_confirm`); the form is bound here again to show its errors.
    """
    membership = membership_with(request.user, slug, "import")
    draft = _draft_or_404(membership, draft_uuid)
    posted = request.POST.urlencode() if request.method == "POST" else None
    page: ValidationPage = run_step(
        "validate_or_confirm", draft.pk, actor_ref(request.user), posted
    )
    if page.cancelled:
        return redirect("cases:imports", slug=slug)
    if page.result is not None:
        context = {**_base(membership), "result": page.result, "source": draft.source_name}
        return render(request, "imports/result.html", context)
    form = ConfirmForm(_data(request), updates=page.changes.updated)
    form.is_valid()  # bound, to show what is missing
    context = {
        **_base(membership, draft),
        "checked": page,
        "changes": page.changes,
        "problems": page.problems,
        "form": form,
        "refusal": page.refusal,
    }
    return render(request, "imports/validation.html", context)


@login_required
@require_safe
@_says_why_a_draft_cannot_be_read
@gives_back_memory
def report(request: HttpRequest, slug: str, draft_uuid: UUID) -> HttpResponse:
    """Every problem as an XLSX a paralegal opens (no cell values, formula-safe)."""
    membership = membership_with(request.user, slug, "import")
    draft = _draft_or_404(membership, draft_uuid)
    response = HttpResponse(
        run_step("problem_report", draft.pk),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="import-report.xlsx"'
    return response


def _data(request: HttpRequest) -> QueryDict | None:
    """A form's data when the request is a POST (an empty POST too: it is bound, and says
    what is missing), else None."""
    return request.POST if request.method == "POST" else None


def _files(request: HttpRequest) -> MultiValueDict[str, UploadedFile] | None:
    return request.FILES if request.method == "POST" else None


def _draft_or_404(membership: Membership, draft_uuid: UUID) -> ImportDraft:
    drafts = ImportDraft.objects.select_related("project__vocabulary")
    return get_object_or_404(
        drafts, project=membership.project, uuid=draft_uuid, expires_at__gt=timezone.now()
    )


def _base(membership: Membership, draft: ImportDraft | None = None) -> dict[str, object]:
    return {"membership": membership, "project": membership.project, "draft": draft}


def _earlier_imports(project_id: int) -> list[dict[str, object]]:
    events = AuditEvent.objects.filter(project_id=project_id, action="cases.import").order_by(
        "-sequence"
    )[:50]
    names = dict(Source.objects.filter(project_id=project_id).values_list("pk", "name"))
    return [
        {
            "at": event.at,
            "by": event.actor_label,
            "source": names.get(int(event.object_id), "") if event.object_id.isdigit() else "",
            **{key: event.details.get(key, 0) for key in ("created", "updated", "unchanged")},
            "skipped": event.details.get("skipped", 0),
        }
        for event in events
    ]


def _text(upload: UploadedFile) -> str:
    try:
        return upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("a mapping profile is UTF-8 text", file="mapping profile") from None
