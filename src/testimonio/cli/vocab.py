"""``testimonio vocab``: load, list and explain the controlled vocabulary."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from testimonio.errors import VocabularyError
from testimonio.vocab import bundled_path, read_bundle

if TYPE_CHECKING:
    from testimonio.web.cases.models import VocabularyVersion


@click.group()
def vocab() -> None:
    """The controlled vocabulary: tactics, fear expressed, outcomes, vulnerabilities, ...

    Codes are dotted and never reused (TAC.DENY.CAPACITY). Loading a changed vocabulary adds a
    new version; codings made under an earlier version keep their meaning.
    """


@vocab.command()
@click.argument("bundle", required=False, default="turnbacks")
def load(bundle: str) -> None:
    """Load a vocabulary bundle: a shipped name (default: turnbacks) or a folder.

    The folder format is described in docs/vocabulary.md. Loading the same content twice
    does nothing; changed content becomes the next version.
    """
    from testimonio.web.setup import setup_django

    setup_django()
    from testimonio.web.cases.actions import do_load_vocabulary

    folder = Path(bundle) if Path(bundle).is_dir() else bundled_path(bundle)
    loaded = do_load_vocabulary(read_bundle(folder), None)
    verb = "Loaded" if loaded.created else "Already loaded:"
    click.echo(f"{verb} {loaded.version} ({loaded.terms} terms) from {folder}")


@vocab.command("list")
@click.option("--scheme", help="Only this scheme, e.g. TAC, FEAR, OUT, VUL.")
@click.option("--lang", type=click.Choice(["en", "es"]), default="en", show_default=True)
@click.option(
    "--name", "bundle_name", default="turnbacks", show_default=True, help="Vocabulary name."
)
def list_terms(scheme: str | None, lang: str, bundle_name: str) -> None:
    """List the codes of the latest loaded version, indented by hierarchy."""
    version = _latest_version(bundle_name)
    terms = version.terms.all()
    if scheme:
        terms = terms.filter(code__regex=rf"^{scheme.upper()}(\.|$)")
    click.echo(f"{version}: {terms.count()} terms")
    for term in terms:
        label = term.label_en if lang == "en" else term.label_es
        click.echo(f"{'  ' * term.code.count('.')}{term.code}  {label}")


@vocab.command()
@click.argument("code")
@click.option(
    "--name", "bundle_name", default="turnbacks", show_default=True, help="Vocabulary name."
)
def show(code: str, bundle_name: str) -> None:
    """Show one code: labels in English and Spanish, definition, sources, narrower codes."""
    version = _latest_version(bundle_name)
    term = version.terms.filter(code=code.upper()).first()
    if term is None:
        raise VocabularyError(f"there is no code {code.upper()} in {version}")
    click.echo(f"{term.code}   ({version})")
    click.echo(f"  English:    {term.label_en}")
    click.echo(f"  Español:    {term.label_es}")
    click.echo(f"  Definition: {term.definition or '-'}")
    click.echo(f"  Definición: {term.definition_es or '-'}")
    click.echo(f"  Sources:    {term.source or '-'}")
    narrower = version.terms.filter(parent_code=term.code)
    for child in narrower:
        click.echo(f"  narrower:   {child.code}  {child.label_en}")


def _latest_version(name: str) -> VocabularyVersion:
    from testimonio.web.setup import setup_django

    setup_django()
    from testimonio.web.cases.models import VocabularyVersion

    version = VocabularyVersion.objects.filter(name=name).order_by("-number").first()
    if version is None:
        raise VocabularyError(f"no vocabulary {name!r} is loaded; run `testimonio vocab load`")
    return version
