"""Sign the evidence packet's PDF with the team's key (pyHanko), when one is configured.

The signature goes on a copy, ``evidence-packet.signed.pdf``, written beside the packet after
Bates stamping: a signature carries its signing time, so a signed file can never be the same
twice, while the packet itself must be (the same snapshot and settings give the same files
and the same packet SHA-256, which the audit chain records). The signed copy's own SHA-256 is
audited beside it. An invisible signature (no appearance on a page) leaves the Bates stamps
and page count as they are.

The key is a PEM private key with its PEM certificate, or one PKCS#12 file holding both
(``.p12``/``.pfx``), with an optional passphrase. pyHanko is an optional extra
(``pip install 'testimonio[sign]'``): asked to sign without it, this says so.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from pathlib import Path

from testimonio.config import Config
from testimonio.errors import ConfigurationError

__all__ = ["SIGNED_PDF", "SigningKey", "configured_signing_key", "sign_pdf"]

SIGNED_PDF = "evidence-packet.signed.pdf"


@dataclass(frozen=True)
class SigningKey:
    """Where the signing key is (never its content: it stays in its file)."""

    key: Path
    cert: Path | None = None  # None: ``key`` is a PKCS#12 file holding the certificate
    passphrase: bytes | None = None


def configured_signing_key(config: Config) -> SigningKey | None:
    """The key the settings name (TESTIMONIO_PDF_SIGNING_KEY, _CERT, _PASSPHRASE), or None."""
    if config.pdf_signing_key is None:
        return None
    passphrase = config.pdf_signing_passphrase.encode() if config.pdf_signing_passphrase else None
    return SigningKey(config.pdf_signing_key, config.pdf_signing_cert, passphrase)


def _signer(key: SigningKey):  # type: ignore[no-untyped-def]
    try:
        with warnings.catch_warnings():  # pyHanko imports DSA, which cryptography deprecates
            warnings.filterwarnings("ignore", message="DSA is deprecated")
            from pyhanko.sign import signers
    except ImportError:  # pragma: no cover - depends on the installation
        raise ConfigurationError(
            "TESTIMONIO_PDF_SIGNING_KEY is set but pyHanko is not installed: "
            "pip install 'testimonio[sign]'"
        ) from None
    for path, variable in ((key.key, "KEY"), (key.cert, "CERT")):
        if path is not None and not path.is_file():
            raise ConfigurationError(
                f"TESTIMONIO_PDF_SIGNING_{variable} names a file that does not exist"
            )
    if key.cert is None:
        signer = signers.SimpleSigner.load_pkcs12(str(key.key), passphrase=key.passphrase)
    else:
        signer = signers.SimpleSigner.load(
            str(key.key), str(key.cert), key_passphrase=key.passphrase
        )
    if signer is None:  # pyHanko logs why and returns None
        raise ConfigurationError(
            "the PDF signing key could not be read (TESTIMONIO_PDF_SIGNING_KEY, _CERT, "
            "_PASSPHRASE): a PEM key with its PEM certificate, or a PKCS#12 file"
        )
    return signer


def sign_pdf(source: Path, target: Path, key: SigningKey, reason: str) -> str:
    """Write ``source`` signed (invisible signature, field ``Signature1``) to ``target``;
    return the signed file's SHA-256."""
    signer = _signer(key)  # first: it imports pyHanko under its warning filter
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    metadata = signers.PdfSignatureMetadata(field_name="Signature1", reason=reason)
    with source.open("rb") as document, target.open("wb") as output:
        writer = IncrementalPdfFileWriter(document, strict=False)
        signers.sign_pdf(writer, metadata, signer=signer, output=output)
    return hashlib.sha256(target.read_bytes()).hexdigest()
