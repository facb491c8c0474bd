"""Documents are stored encrypted and content-addressed, with a custody log that verifies."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from testimonio.config import load_config
from testimonio.errors import InputError
from testimonio.web.cases.models import Project, Source
from testimonio.web.evidence.actions import do_register_document
from testimonio.web.evidence.custody import verify_custody
from testimonio.web.evidence.models import CustodyEvent, Document
from testimonio.web.evidence.store import document_store
from tests.web.clients import signed_in

pytestmark = pytest.mark.django_db
TEXT = "Declaración de Canarito Zzyzxq: el oficial dijo que no había asilo.".encode()


def test_a_document_is_stored_encrypted_with_its_intake_hash_and_custody(
    project: Project, source: Source
) -> None:
    document = do_register_document(project, TEXT, "declaración.txt", None, source=source)
    assert document.sha256 == hashlib.sha256(TEXT).hexdigest()
    stored = document_store().path(document.storage_name).read_bytes()
    assert b"Canarito" not in stored and document.sha256 not in document.storage_name
    assert CustodyEvent.objects.filter(document=document, action="received").count() == 1


def test_the_same_bytes_received_again_are_one_document_with_two_custody_events(
    project: Project, source: Source
) -> None:
    first = do_register_document(project, TEXT, "a.txt", None, source=source)
    second = do_register_document(project, TEXT, "b.txt", None)
    assert first.pk == second.pk
    assert CustodyEvent.objects.filter(document=first, action="received").count() == 2


def test_custody_verification_passes_then_names_a_document_with_a_flipped_byte(
    project: Project,
) -> None:
    document = do_register_document(project, TEXT, "a.txt", None)
    assert verify_custody() == (1, [])
    path = document_store().path(document.storage_name)
    data = bytearray(path.read_bytes())
    data[40] ^= 0x01
    path.write_bytes(bytes(data))
    checked, problems = verify_custody()
    assert checked == 1 and [p.document_id for p in problems] == [document.pk]
    assert "altered" in problems[0].reason


def test_a_refused_file_leaves_nothing_behind(project: Project) -> None:
    files_before = sorted(load_config().documents_dir.rglob("*"))
    with pytest.raises(InputError, match="programa.pdf"):
        do_register_document(project, b"\x7fELF\x02\x01" + b"\x00" * 64, "programa.pdf", None)
    assert not Document.objects.exists()
    assert sorted(load_config().documents_dir.rglob("*")) == files_before


def test_uploading_through_the_page_and_downloading_as_an_attachment(
    project: Project, intake_officer: User
) -> None:
    client = signed_in(intake_officer)
    upload = SimpleUploadedFile("declaración.txt", TEXT, content_type="application/pdf")
    response = client.post(f"/p/{project.slug}/documents/", {"file": upload})
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.content_type == "text/plain"  # by content, not by what the browser says
    download = client.get(f"/p/{project.slug}/documents/{document.uuid}/")
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download) == TEXT
    assert "declaraci" not in download["Content-Disposition"]
    assert CustodyEvent.objects.filter(document=document, action="exported").exists()


def test_an_upload_over_the_size_limit_is_refused(
    project: Project, intake_officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TESTIMONIO_MAX_UPLOAD_MB", "1")
    client = signed_in(intake_officer)
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.4 " + b"0" * (2 * 2**20))
    response = client.post(f"/p/{project.slug}/documents/", {"file": upload})
    assert response.status_code == 200
    assert "larger than this instance accepts" in response.content.decode()
    assert not Document.objects.exists()


def test_a_large_accepted_upload_is_never_written_to_a_temporary_file(
    project: Project, intake_officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.files import temp

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an upload was spooled to a plaintext temporary file")

    # What Django's TemporaryFileUploadHandler would use for a large upload.
    monkeypatch.setattr(temp, "NamedTemporaryFile", refuse)
    client = signed_in(intake_officer)
    big = b"Declaracion. " + b"El oficial dijo.\n" * (3 * 2**20 // 17)  # 3 MB > Django's 2.5
    response = client.post(
        f"/p/{project.slug}/documents/", {"file": SimpleUploadedFile("declaracion.txt", big)}
    )
    assert response.status_code == 302
    assert Document.objects.get().size_bytes == len(big)


LIST_AS_CSV = b"nombre,fecha_nacimiento,telefono\nAna Prueba,1990-01-02,555-0101\n"


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (LIST_AS_CSV, "declaracion.pdf", "named as PDF but its content is plain text"),
        (LIST_AS_CSV, "lista.csv", "a list rather than a document"),
        (b"%PDF-1.4 " + b"0" * 64, "foto.png", "named as PNG image but its content is PDF"),
    ],
)
def test_a_document_whose_content_is_not_what_its_name_says_is_refused(
    project: Project, data: bytes, name: str, reason: str
) -> None:
    with pytest.raises(InputError, match=reason) as refused:
        do_register_document(project, data, name, None)
    assert "documents accepted: PDF, Word (DOCX), JPEG image, PNG image, plain text" in str(
        refused.value
    )
    assert not Document.objects.exists()


def test_a_csv_renamed_pdf_is_refused_on_the_page_with_the_accepted_types(
    project: Project, intake_officer: User
) -> None:
    upload = SimpleUploadedFile("declaracion.pdf", LIST_AS_CSV, content_type="application/pdf")
    response = signed_in(intake_officer).post(f"/p/{project.slug}/documents/", {"file": upload})
    assert response.status_code == 200 and "documents accepted: PDF" in response.content.decode()
    assert not Document.objects.exists()


def test_a_derived_copy_points_to_its_untouched_original(project: Project) -> None:
    from testimonio.web.evidence.actions import do_register_derivative
    from testimonio.web.evidence.store import read_document

    original = do_register_document(project, TEXT, "a.txt", None)
    redacted = do_register_derivative(original, b"Declaracion de [REDACTED].", "redacted", None)
    assert redacted.derived_from_id == original.pk and redacted.sha256 != original.sha256
    assert read_document(original) == TEXT
    assert CustodyEvent.objects.filter(document=original, action="derived").exists()
    assert verify_custody() == (2, [])


def test_a_canary_file_name_is_sealed_and_never_shown(
    project: Project, intake_officer: User
) -> None:
    client = signed_in(intake_officer)
    upload = SimpleUploadedFile("Canarito Zzyzxq declaración.txt", TEXT)
    client.post(f"/p/{project.slug}/documents/", {"file": upload})
    document = Document.objects.get()
    assert b"Canarito" not in bytes(document.original_name)
    page = client.get(f"/p/{project.slug}/documents/").content.decode()
    download = client.get(f"/p/{project.slug}/documents/{document.uuid}/")
    assert "Canarito" not in page and "Canarito" not in download["Content-Disposition"]
