"""The packet's PDF signed with a key the test makes (self-signed, with cryptography): pyHanko's
validator finds the signature intact and, trusting that certificate, valid; a PKCS#12 file
signs as well; a missing key file is one clear configuration error."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pypdf import PdfReader, PdfWriter

from testimonio.config import load_config
from testimonio.errors import ConfigurationError
from testimonio.reporting import SigningKey, configured_signing_key, sign_pdf

with warnings.catch_warnings():  # pyHanko imports DSA, which cryptography deprecates
    warnings.filterwarnings("ignore", message="DSA is deprecated")
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

PASSPHRASE = b"correct horse"


def _certificate(folder: Path) -> tuple[Path, Path, Path, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Testimonio test signer")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                     key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=True, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    key_path, cert_path, p12_path = folder / "key.pem", folder / "cert.pem", folder / "key.p12"
    encryption = serialization.BestAvailableEncryption(PASSPHRASE)
    pem = serialization.Encoding.PEM
    key_path.write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, encryption))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    p12_path.write_bytes(pkcs12.serialize_key_and_certificates(b"t", key, cert, None, encryption))
    return key_path, cert_path, p12_path, cert


def _pdf(path: Path, pages: int = 3) -> Path:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def _validate(path: Path, cert: x509.Certificate):  # type: ignore[no-untyped-def]
    trusted = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    with path.open("rb") as handle:
        reader = PdfFileReader(handle)
        (signature,) = reader.embedded_signatures
        return validate_pdf_signature(signature, ValidationContext(trust_roots=[trusted]))


def test_a_pem_key_signs_and_pyhanko_validates_the_signature(tmp_path: Path) -> None:
    key_path, cert_path, _, cert = _certificate(tmp_path)
    source = _pdf(tmp_path / "evidence-packet.pdf")
    target = tmp_path / "evidence-packet.signed.pdf"
    digest = sign_pdf(source, target, SigningKey(key_path, cert_path, PASSPHRASE), "packet abc")
    status = _validate(target, cert)
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    assert len(PdfReader(target).pages) == 3  # an invisible signature adds no page
    assert target.read_bytes().startswith(source.read_bytes())  # an incremental update
    assert len(digest) == 64


def test_a_pkcs12_file_signs_too_and_an_edit_breaks_the_signature(tmp_path: Path) -> None:
    _, _, p12_path, cert = _certificate(tmp_path)
    target = tmp_path / "signed.pdf"
    sign_pdf(_pdf(tmp_path / "packet.pdf"), target, SigningKey(p12_path, None, PASSPHRASE), "r")
    assert _validate(target, cert).bottom_line
    data = bytearray(target.read_bytes())
    index = data.index(b"/MediaBox")  # inside the signed byte range
    data[index + 1 : index + 9] = b"MediaBoy"
    target.write_bytes(bytes(data))
    assert not _validate(target, cert).intact


def test_the_settings_name_the_key_or_nothing_is_signed(tmp_path: Path) -> None:
    home = {"TESTIMONIO_HOME": str(tmp_path)}
    assert configured_signing_key(load_config(home)) is None
    key = configured_signing_key(load_config({
        **home, "TESTIMONIO_PDF_SIGNING_KEY": str(tmp_path / "k.pem"),
        "TESTIMONIO_PDF_SIGNING_CERT": str(tmp_path / "c.pem"),
        "TESTIMONIO_PDF_SIGNING_PASSPHRASE": "pw",
    }))  # fmt: skip
    assert key == SigningKey(tmp_path / "k.pem", tmp_path / "c.pem", b"pw")
    with pytest.raises(ConfigurationError, match="TESTIMONIO_PDF_SIGNING_KEY names a file"):
        sign_pdf(_pdf(tmp_path / "p.pdf"), tmp_path / "s.pdf", key, "r")
