"""The setup pages' forms. They check everything an action would refuse, so that a mistake
comes back on the form in the user's language and nothing is saved."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from testimonio.web.cases.models import Project, Source, VocabularyVersion
from testimonio.web.cases.models.project import SourceKind
from testimonio.web.projects.actions import MIN_PUBLICATION_THRESHOLD

DEFAULT_THRESHOLD = Project._meta.get_field("publication_threshold").get_default()


class VocabularyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} · {obj.title}"


def _settings_fields() -> dict[str, forms.Field]:
    return {
        "name": forms.CharField(label=_("Name"), max_length=200),
        "vocabulary": VocabularyChoice(
            label=_("Vocabulary version"),
            queryset=VocabularyVersion.objects.all(),
            empty_label=None,
            error_messages={"invalid_choice": _("Choose one of the vocabulary versions loaded.")},
        ),
        "publication_threshold": forms.IntegerField(
            label=_("Publication threshold k"),
            min_value=MIN_PUBLICATION_THRESHOLD,
            max_value=1000,
            initial=DEFAULT_THRESHOLD,
            help_text=_("Smallest count a public report may show; smaller cells are suppressed."),
        ),
    }


class ProjectSettingsForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_settings_fields())


class ProjectCreateForm(ProjectSettingsForm):
    slug = forms.SlugField(
        label=_("Short name in addresses"),
        max_length=64,
        required=False,
        help_text=_("Letters, digits and hyphens; made from the name when left empty."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["name", "slug", "vocabulary", "publication_threshold"])

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data.get("slug", "")
        if slug and Project.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Another project already has this short name."))
        return slug

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "name" in cleaned and "slug" in cleaned and not cleaned["slug"]:
            made = slugify(cleaned["name"])[:64]
            if not made:
                self.add_error("slug", _("Give a short name: none can be made from this name."))
            elif Project.objects.filter(slug=made).exists():
                self.add_error("slug", _("Another project already has this short name."))
            cleaned["slug"] = made
        return cleaned


class SourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=SourceKind.choices, initial=SourceKind.OTHER)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, project: Project, source: Source | None = None,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.project, self.source = project, source
        if source is not None:  # a source's kind is what its records were read as
            del self.fields["kind"]

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        others = Source.objects.filter(project=self.project, name=name)
        if self.source is not None:
            others = others.exclude(pk=self.source.pk)
        if others.exists():
            raise forms.ValidationError(_("This project already has a source of this name."))
        return name
