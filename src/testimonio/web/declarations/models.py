"""A sworn declaration (one evidence Document read into paragraphs) and its paragraph codings.

The paragraphs themselves live in ``evidence.DocumentParagraph``, sealed under the document's
data key, so erasing the person shreds them with the document. Nothing here holds plaintext:
the derived text (preamble, closing, markers) is sealed too, and the columns in the clear are
what a filing index shows (exhibit, ECF reference, language, extractor).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class SignatureStatus(models.TextChoices):
    SIGNED = "signed", gettext_lazy("Signed")
    UNSIGNED = "unsigned", gettext_lazy("Not signed")
    UNKNOWN = "unknown", gettext_lazy("Unknown")


class LinkStatus(models.TextChoices):
    UNLINKED = "unlinked", gettext_lazy("Not linked")
    PROPOSED = "proposed", gettext_lazy("Link proposed (one exact match)")
    REVIEW = "review", gettext_lazy("Needs review (several or no matches)")
    LINKED = "linked", gettext_lazy("Linked")


class Declaration(models.Model):
    project = models.ForeignKey(
        "cases.Project", on_delete=models.CASCADE, related_name="declarations"
    )
    document = models.OneToOneField(
        "evidence.Document", on_delete=models.PROTECT, related_name="declaration"
    )
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="declarations",
    )
    link_status = models.CharField(
        max_length=10, choices=LinkStatus.choices, default=LinkStatus.UNLINKED
    )
    proposed_person = models.ForeignKey(
        "cases.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The one person whose records match the declarant's surname and birth year.",
    )
    exhibit = models.CharField(max_length=20, blank=True, help_text="12, as in 'Ex. 12'.")
    ecf_reference = models.CharField(max_length=40, blank=True, help_text="ECF No. 45-3.")
    format = models.CharField(max_length=16)
    language = models.CharField(max_length=8, blank=True)
    language_probability = models.FloatField(default=0.0)
    extractor = models.CharField(max_length=80)
    extractor_version = models.CharField(max_length=120)
    numbered = models.BooleanField(default=True)
    pages = models.PositiveIntegerField(default=1)
    paragraph_count = models.PositiveIntegerField(default=0)
    text = models.BinaryField(help_text="Sealed JSON: preamble, markers, closing, warnings.")
    date_signed = models.DateField(null=True, blank=True)
    interpreter = models.CharField(max_length=200, blank=True)
    translation_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="translations"
    )
    translator_certificate = models.BooleanField(default=False)
    signature_status = models.CharField(
        max_length=10, choices=SignatureStatus.choices, default=SignatureStatus.UNKNOWN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"declaration {self.pk}"


class ParagraphCoding(models.Model):
    """A coder's mark: this paragraph (or a span of it) is evidence of a term.

    Several coders may mark the same paragraph (blind double coding measures agreement), so
    this is not ``cases.Coding``, which holds one term per encounter. When the coder names the
    encounter, the encounter's ``Coding`` is made (or reused) and referenced here, so the
    analysis sees the code and a court can follow it back to the paragraph.
    """

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="codings")
    paragraph = models.ForeignKey(
        "evidence.DocumentParagraph", on_delete=models.CASCADE, related_name="codings"
    )
    term = models.ForeignKey("cases.Term", on_delete=models.PROTECT, related_name="+")
    encounter = models.ForeignKey(
        "cases.Encounter", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    coding = models.ForeignKey(
        "cases.Coding",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="paragraph_codings",
    )
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    span_start = models.PositiveIntegerField(null=True, blank=True)
    span_end = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paragraph__number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["paragraph", "term", "coder"], name="paragraph_coding_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term_id} on paragraph {self.paragraph_id}"


class CodingPolicy(models.Model):
    """How a project measures its coders: the share double-coded blind, the minimum alpha.

    One row per project, made when someone first sets it; until then :func:`policy_for`
    gives the defaults (a fifth of the paragraphs, Krippendorff's 0.667).
    """

    project = models.OneToOneField(
        "cases.Project", on_delete=models.CASCADE, related_name="coding_policy"
    )
    double_coding_share = models.FloatField(
        default=0.2,
        help_text=gettext_lazy(
            "Share of paragraphs (0 to 1) a second coder reads blind, to measure agreement."
        ),
    )
    minimum_alpha = models.FloatField(
        default=0.667,
        help_text=gettext_lazy(
            "A term whose Krippendorff's alpha is below this is flagged in the evidence packet."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"coding policy of project {self.project_id}"


def policy_for(project_id: int) -> CodingPolicy:
    """The project's policy, or an unsaved one with the defaults."""
    found = CodingPolicy.objects.filter(project_id=project_id).first()
    return found if found is not None else CodingPolicy(project_id=project_id)
