"""A tar stream encrypted to age public keys as it is written, and read back the same way.

The tar never exists in the clear on disk: a thread runs pyrage's ``encrypt_io`` on one end of
a pipe while the archive is written into the other, and the output appears under its final
name only when complete (a ``.partial`` file is removed on any failure). Reading mirrors it:
``decrypt_io`` feeds a pipe that ``tarfile`` reads in streaming mode, every member is hashed
as it is extracted, and nothing but regular files with plain relative names is accepted.
No Django here: this is plain file handling.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tarfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import pyrage

from testimonio.web.backups.errors import BackupError
from testimonio.web.backups.manifest import MANIFEST_NAME, Manifest, Member

_SAFE_NAME = re.compile(r"^[a-z]+(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+$|^manifest\.json$")
_PIECE = 1024 * 1024


def parse_recipients(keys: list[str]) -> list[pyrage.x25519.Recipient]:
    recipients = []
    for key in keys:
        try:
            recipients.append(pyrage.x25519.Recipient.from_str(key))
        except pyrage.RecipientError:
            raise BackupError("The backup recipient is not a valid age public key.") from None
    return recipients


def read_identities(path: Path) -> list[pyrage.x25519.Identity]:
    """The private keys in an age identity file (comment lines start with #)."""
    try:
        lines = path.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise BackupError(f"Cannot read the identity file {path}: {error}.") from None
    identities = []
    for line in (line.strip() for line in lines):
        if not line or line.startswith("#"):
            continue
        try:
            identities.append(pyrage.x25519.Identity.from_str(line))
        except pyrage.IdentityError:
            raise BackupError(
                f"{path} is not an age identity file (AGE-SECRET-KEY-1...)."
            ) from None
    if not identities:
        raise BackupError(f"{path} holds no age identity.")
    return identities


class _Hashing:
    """A reader that hashes what passes through it (tarfile reads exactly ``size`` bytes)."""

    def __init__(self, handle: BinaryIO, advance: Callable[[int], None]) -> None:
        self.handle, self.digest, self.advance = handle, hashlib.sha256(), advance

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        self.advance(len(data))
        return data


class ArchiveWriter:
    """Members added one by one; :meth:`close` finishes the encryption and publishes the file."""

    def __init__(self, tar: tarfile.TarFile, advance: Callable[[int], None]) -> None:
        self.tar, self.advance = tar, advance
        self.members: list[Member] = []

    def add_file(self, name: str, path: Path) -> Member:
        size = path.stat().st_size
        with path.open("rb") as handle:
            reader = _Hashing(handle, self.advance)
            self.tar.addfile(_info(name, size), reader)
        member = Member(name, size, reader.digest.hexdigest())
        self.members.append(member)
        return member

    def add_manifest(self, manifest: Manifest) -> None:
        data = manifest.to_json()
        self.tar.addfile(_info(MANIFEST_NAME, len(data)), _Bytes(data))


@contextlib.contextmanager
def write_archive(
    out: Path, recipients: list[str], advance: Callable[[int], None]
) -> Iterator[ArchiveWriter]:
    """Yield a writer whose members are encrypted to ``recipients`` into ``out``."""
    keys = parse_recipients(recipients)
    partial = out.with_name(out.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    read_end, write_end = os.pipe()
    failures: list[BaseException] = []

    def encrypt() -> None:
        with os.fdopen(read_end, "rb") as source, os.fdopen(descriptor, "wb") as target:
            try:
                pyrage.encrypt_io(source, target, keys)
                target.flush()
                os.fsync(target.fileno())
            except BaseException as error:  # re-raised by the writing thread
                failures.append(error)

    thread = threading.Thread(target=encrypt, name="backup-encrypt", daemon=True)
    thread.start()
    try:
        with os.fdopen(write_end, "wb") as sink, tarfile.open(fileobj=sink, mode="w|") as tar:
            yield ArchiveWriter(tar, advance)
    except BaseException:
        thread.join()
        partial.unlink(missing_ok=True)
        raise
    thread.join()
    if failures:
        partial.unlink(missing_ok=True)
        raise BackupError(f"Writing the encrypted backup failed: {failures[0]}.") from failures[0]
    os.replace(partial, out)


def read_archive(
    path: Path,
    identities: list[pyrage.x25519.Identity],
    staging: Path,
    advance: Callable[[int], None],
) -> Manifest:
    """Decrypt and extract ``path`` into ``staging``; check every member against the manifest."""
    read_end, write_end = os.pipe()
    failures: list[BaseException] = []

    def decrypt() -> None:
        with path.open("rb") as source, os.fdopen(write_end, "wb") as target:
            try:
                pyrage.decrypt_io(source, target, identities)
            except BaseException as error:  # reported by the reading thread
                failures.append(error)

    thread = threading.Thread(target=decrypt, name="backup-decrypt", daemon=True)
    thread.start()
    found: dict[str, Member] = {}
    manifest_bytes: bytes | None = None
    damage: BaseException | None = None
    # Closing our end before joining lets a decrypting thread blocked on a full pipe finish.
    with os.fdopen(read_end, "rb") as stream:
        try:
            with tarfile.open(fileobj=stream, mode="r|") as tar:
                for info in tar:
                    content = _extract(tar, info, staging, found, advance)
                    manifest_bytes = content if content is not None else manifest_bytes
        except (tarfile.TarError, EOFError) as error:
            damage = error
    thread.join()
    if failures and (damage is None or isinstance(failures[0], pyrage.DecryptError)):
        raise _decrypt_error(path, failures[0])
    if damage is not None:
        raise BackupError(f"{path} is damaged or incomplete ({damage}).")
    if manifest_bytes is None:
        raise BackupError(f"{path} has no manifest: it is incomplete.")
    manifest = Manifest.from_json(manifest_bytes)
    _check_members(manifest, found)
    return manifest


def _extract(
    tar: tarfile.TarFile,
    info: tarfile.TarInfo,
    staging: Path,
    found: dict[str, Member],
    advance: Callable[[int], None],
) -> bytes | None:
    if not info.isfile() or not _SAFE_NAME.match(info.name) or ".." in info.name:
        raise BackupError(f"The backup holds an unexpected member {info.name!r}: refused.")
    source = tar.extractfile(info)
    if source is None:  # pragma: no cover - regular files always have content
        raise BackupError(f"The backup member {info.name} cannot be read.")
    if info.name == MANIFEST_NAME:
        return source.read()
    target = staging / info.name
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest = hashlib.sha256()
    with target.open("xb") as handle:
        while piece := source.read(_PIECE):
            digest.update(piece)
            handle.write(piece)
            advance(len(piece))
        handle.flush()
        os.fsync(handle.fileno())
    found[info.name] = Member(info.name, info.size, digest.hexdigest())
    return None


def _check_members(manifest: Manifest, found: dict[str, Member]) -> None:
    listed = {member.name: member for member in manifest.members}
    if set(listed) != set(found):
        missing, extra = sorted(set(listed) - set(found)), sorted(set(found) - set(listed))
        raise BackupError(
            f"The backup does not match its manifest: {len(missing)} member(s) missing, "
            f"{len(extra)} not listed."
        )
    for name, member in found.items():
        if member != listed[name]:
            raise BackupError(
                f"The backup member {name} does not match its SHA-256 in the manifest."
            )


def _decrypt_error(path: Path, error: BaseException) -> BackupError:
    if isinstance(error, pyrage.DecryptError):
        return BackupError(
            f"Cannot decrypt {path}: it was not encrypted to this identity, or it is damaged."
        )
    return BackupError(f"Cannot decrypt {path}: {error}.")


def _info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode = size, 0o600
    return info


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self.data, self.offset = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        piece, self.offset = self.data[self.offset : end], min(end, len(self.data))
        return piece
