"""Declaration pages: a project's list (with unlinked ones), one declaration, the coding screen.

Paragraphs are the declarant's own words: only roles with ``view_declarations`` see any page
here (everyone else gets 404, as for a project they are not in), every opening of paragraphs
is a custody and audit event, and coding needs ``code_declarations``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_safe

from testimonio.declarations import (
    CombinedSuggestion,
    ParagraphQuery,
    citation,
    combine_suggestions,
)
from testimonio.errors import TestimonioError
from testimonio.web.accounts.permissions import may, membership_with
from testimonio.web.cases.models import Encounter, Person, Term
from testimonio.web.declarations.actions import (
    do_add_declaration,
    do_code_paragraph,
    do_link_declaration,
    do_reveal_paragraphs,
    do_set_coding_policy,
    do_set_exhibit,
)
from testimonio.web.declarations.agreement import project_agreement
from testimonio.web.declarations.coding_model import current_model, do_log_suggestions
from testimonio.web.declarations.double_coding import in_sample, sample_progress, visible_codings
from testimonio.web.declarations.forms import (
    CodingForm,
    CodingPolicyForm,
    ExhibitForm,
    LinkForm,
    SearchForm,
    UploadForm,
)
from testimonio.web.declarations.models import (
    Declaration,
    LinkStatus,
    ParagraphCoding,
    policy_for,
)
from testimonio.web.declarations.sealing import open_paragraph
from testimonio.web.declarations.search import do_search_declarations
from testimonio.web.evidence.models import DocumentParagraph
from testimonio.web.evidence.uploads import TOO_LARGE


@login_required
@require_http_methods(["GET", "POST"])
def declaration_list(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_with(request.user, slug, "view_declarations")
    project = membership.project
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if getattr(request, TOO_LARGE, False):
            form.is_valid()
            form.errors["file"] = form.error_class(
                [gettext("The file is larger than this instance accepts.")]
            )
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                added = do_add_declaration(project, upload.read(), upload.name, request.user)
                return redirect("declarations:detail", slug=slug, declaration_id=added.pk)
            except TestimonioError as error:
                form.add_error("file", str(error))
    listing = Declaration.objects.filter(project=project).select_related(
        "person", "proposed_person"
    )
    context = {
        "membership": membership,
        "project": project,
        "form": form,
        "declarations": listing,
        "unlinked": [d for d in listing if d.link_status != LinkStatus.LINKED],
    }
    return render(request, "declarations/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def declaration_detail(request: HttpRequest, slug: str, declaration_id: int) -> HttpResponse:
    membership = membership_with(request.user, slug, "view_declarations")
    declaration = _declaration(membership.project.pk, declaration_id)
    exhibit_form = ExhibitForm(
        initial={"exhibit": declaration.exhibit, "ecf_reference": declaration.ecf_reference}
    )
    link_form = LinkForm(initial={"pseudonym": _suggested(declaration)})
    error = ""
    if request.method == "POST":
        if not may(membership, "code_declarations"):
            raise Http404
        try:
            if "exhibit" in request.POST:
                exhibit_form = ExhibitForm(request.POST)
                if exhibit_form.is_valid():
                    data = exhibit_form.cleaned_data
                    do_set_exhibit(
                        declaration,
                        data["exhibit"],
                        request.user,
                        ecf_reference=data["ecf_reference"],
                    )
                    return redirect("declarations:detail", slug=slug, declaration_id=declaration.pk)
            elif "link" in request.POST:
                link_form = LinkForm(request.POST)
                if link_form.is_valid():
                    do_link_declaration(declaration, _person(declaration, link_form), request.user)
                    return redirect("declarations:detail", slug=slug, declaration_id=declaration.pk)
        except TestimonioError as failure:
            error = str(failure)
    try:
        paragraphs = do_reveal_paragraphs(declaration, request.user)
    except TestimonioError as failure:  # erased with its person, or a key that does not open
        paragraphs, error = [], str(failure)
    codings = visible_codings(
        ParagraphCoding.objects.filter(declaration=declaration).select_related(
            "term", "paragraph", "coder"
        ),
        policy_for(membership.project.pk),
        request.user.pk,
    )
    context = {
        "membership": membership,
        "project": membership.project,
        "declaration": declaration,
        "paragraphs": paragraphs,
        "codings": codings,
        "may_code": may(membership, "code_declarations"),
        "exhibit_form": exhibit_form,
        "link_form": link_form,
        "error": error,
        "cite": citation(
            declaration.exhibit, _pseudonym(declaration), [], declaration.ecf_reference
        ),
    }
    return render(request, "declarations/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def code_paragraph(
    request: HttpRequest, slug: str, declaration_id: int, number: int
) -> HttpResponse:
    membership = membership_with(request.user, slug, "code_declarations")
    declaration = _declaration(membership.project.pk, declaration_id)
    paragraph = get_object_or_404(DocumentParagraph, document=declaration.document, number=number)
    scheme = request.GET.get("scheme", "TAC")
    every = membership.project.vocabulary.terms.all()
    terms = every.filter(code__startswith=f"{scheme}.") | every.filter(code=scheme)
    encounters = (
        Encounter.objects.filter(person_id=declaration.person_id)
        if declaration.person_id
        else Encounter.objects.none()
    )
    form = CodingForm(request.POST or None, terms=terms, encounters=encounters)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            model = current_model(membership.project, request.user, train=False)
            suggested = {
                s.code: s.suggested_by
                for s in combine_suggestions(open_paragraph(paragraph), model)
            }
            do_code_paragraph(
                paragraph,
                data["term"],
                data["encounter"],
                form.span(),
                request.user,
                suggested_by=suggested.get(data["term"].code, ""),
            )
            return redirect(_next(slug, declaration, number))
        except TestimonioError as error:
            form.add_error(None, str(error))
    try:
        [shown] = do_reveal_paragraphs(declaration, request.user, number=number)
    except TestimonioError as failure:
        raise Http404(str(failure)) from None
    suggestions = combine_suggestions(
        shown["text"], current_model(membership.project, request.user)
    )
    do_log_suggestions(declaration, number, suggestions, request.user)
    context = {
        "membership": membership,
        "project": membership.project,
        "declaration": declaration,
        "paragraph": shown,
        "suggestions": suggestions,
        "in_sample": in_sample(policy_for(membership.project.pk), paragraph.pk),
        "form": form,
        "terms": _with_suggestions(terms, suggestions),
        "mine": ParagraphCoding.objects.filter(
            paragraph=paragraph, coder_id=request.user.pk
        ).select_related("term"),
        "next_url": _next(slug, declaration, number),
        "scheme": scheme,
        "schemes": sorted({code.split(".", 1)[0] for code in every.values_list("code", flat=True)}),
    }
    return render(request, "declarations/code.html", context)


@login_required
@require_safe
def agreement(request: HttpRequest, slug: str) -> HttpResponse:
    """Alpha per term over the double-coded paragraphs, with who disagreed where."""
    membership = membership_with(request.user, slug, "view_declarations")
    policy = policy_for(membership.project.pk)
    results = project_agreement(membership.project, minimum_alpha=policy.minimum_alpha)
    context = {
        "membership": membership,
        "project": membership.project,
        "results": results,
        "minimum_alpha": policy.minimum_alpha,
        "policy": policy,
        "progress": sample_progress(membership.project.pk, request.user.pk),
        "may_code": may(membership, "code_declarations"),
        "may_set_policy": may(membership, "set_coding_policy"),
    }
    return render(request, "declarations/agreement.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def coding_policy(request: HttpRequest, slug: str) -> HttpResponse:
    """The share double-coded blind and the minimum alpha (attorneys and administrators)."""
    membership = membership_with(request.user, slug, "set_coding_policy")
    policy = policy_for(membership.project.pk)
    initial = {"double_coding_share": policy.double_coding_share,
               "minimum_alpha": policy.minimum_alpha}  # fmt: skip
    form = CodingPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            do_set_coding_policy(membership.project, request.user, **form.cleaned_data)
            return redirect("declarations:agreement", slug=slug)
        except TestimonioError as error:
            form.add_error(None, str(error))
    context = {"membership": membership, "project": membership.project, "form": form}
    return render(request, "declarations/coding_policy.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest, slug: str) -> HttpResponse:
    """Words across the project's declarations: where they are, never the text (a POST, so
    the words stay out of URLs and logs; each search is audited without them)."""
    membership = membership_with(request.user, slug, "view_declarations")
    form = SearchForm(request.POST if request.method == "POST" else None)
    context: dict[str, object] = {"membership": membership, "project": membership.project,
                                  "form": form}  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            query = ParagraphQuery.parse(form.cleaned_data["q"])
        except TestimonioError as error:
            form.add_error("q", str(error))
        else:
            context["outcome"] = do_search_declarations(membership.project, query, request.user)
    return render(request, "declarations/search.html", context)


def _with_suggestions(
    terms: Iterable[Term], suggestions: list[CombinedSuggestion]
) -> list[tuple[int, Term, CombinedSuggestion | None]]:
    """Each term numbered for its access key, with its suggestion when there is one."""
    by_code = {s.code: s for s in suggestions}
    return [(index, term, by_code.get(term.code)) for index, term in enumerate(terms, start=1)]


def _declaration(project_id: int, declaration_id: int) -> Declaration:
    return get_object_or_404(
        Declaration.objects.select_related("document", "person", "proposed_person"),
        project_id=project_id,
        pk=declaration_id,
    )


def _suggested(declaration: Declaration) -> str:
    person = declaration.person or declaration.proposed_person
    return person.pseudonym if person else ""


def _pseudonym(declaration: Declaration) -> str:
    return declaration.person.pseudonym if declaration.person else f"D-{declaration.pk}"


def _person(declaration: Declaration, form: LinkForm) -> Person | None:
    pseudonym = form.cleaned_data["pseudonym"].strip()
    if not pseudonym:
        return None
    person = Person.objects.filter(project_id=declaration.project_id, pseudonym=pseudonym).first()
    if person is None:
        raise TestimonioError(f"no person {pseudonym} in this project")
    return person


def _next(slug: str, declaration: Declaration, number: int) -> str:

    later = (
        DocumentParagraph.objects.filter(document=declaration.document, number__gt=number)
        .order_by("number")
        .first()
    )
    if later is None:
        return reverse("declarations:detail", args=[slug, declaration.pk])
    return reverse("declarations:code", args=[slug, declaration.pk, later.number])
