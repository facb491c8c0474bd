"""What the attestation says (signature, date, translator's certificate), and translations."""

from __future__ import annotations

import pytest

from testimonio.errors import ValidationError
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.models import Project
from testimonio.web.declarations.actions import do_set_translation
from tests.declarations.conftest import SimulatedWorld
from tests.web.declarations.conftest import add

pytestmark = pytest.mark.django_db


def test_the_interpreter_and_certificate_are_read_from_the_attestation(
    project: Project, world: SimulatedWorld
) -> None:
    for simulated in world.of_format("docx")[:6]:
        declaration = add(project, simulated)
        interpreter = simulated.index["interpreter"]
        assert declaration.translator_certificate == bool(interpreter)
        assert declaration.interpreter == interpreter


def test_the_signature_and_date_signed_are_read_from_the_attestation(
    project: Project, world: SimulatedWorld
) -> None:
    simulated = world.of_format("docx")[0]
    declaration = add(project, simulated)
    assert declaration.signature_status == "signed"
    assert declaration.date_signed is not None
    assert declaration.date_signed.isoformat() == simulated.index["date_signed"]


def test_a_translation_is_linked_to_its_original_and_audited(
    project: Project, world: SimulatedWorld
) -> None:
    original, translation = (add(project, s) for s in world.of_format("docx")[:2])
    do_set_translation(
        translation, original, None, interpreter="A. Interpreter", signature_status="unsigned"
    )
    translation.refresh_from_db()
    assert translation.translation_of == original and translation.signature_status == "unsigned"
    assert list(original.translations.all()) == [translation]
    event = AuditEvent.objects.get(action="declarations.declaration.translation")
    assert event.details["original"] == original.pk and event.details["interpreter"] is True


def test_a_declaration_cannot_translate_itself_or_take_an_unknown_status(
    project: Project, world: SimulatedWorld
) -> None:
    declaration = add(project, world.of_format("docx")[0])
    with pytest.raises(ValidationError):
        do_set_translation(declaration, declaration, None)
    with pytest.raises(ValidationError, match="signature status"):
        do_set_translation(declaration, None, None, signature_status="maybe")
