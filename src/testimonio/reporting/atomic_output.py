"""Replace a report's folder whole, so a kill or an error leaves the old report or the new one.

Why: a report is several files that belong together (a packet's PDF and the manifest that
holds its hash; a public report's tables, pages, ``releases.json`` and feed). Moving them into
the folder one by one means a power cut, the OOM killer or ``kill -9`` midway leaves a mix of
two releases that nobody can tell apart from a real one, and a court or the public may be
handed it. A folder can only change all at once if it is swapped whole, so:

1. the report is written into a staging folder beside ``out_dir`` (``.NAME.staging-XXXX``, on
   the same file system), never under a final name;
2. what the old folder holds that is not the report's own (an operator's notes, say) is
   hard-linked into the staging folder, so swapping loses nothing of theirs;
3. every file and folder of it is flushed to disk (``fsync``);
4. the two folders are exchanged in one step (Linux ``renameat2(RENAME_EXCHANGE)``; a plain
   rename when there was no old folder) and the parent folder is flushed;
5. the old folder, now under the staging name, is removed.

A kill before step 4 leaves the old folder untouched; after it, the new one. What a kill
leaves beside it (a staging folder) is removed by the next run, which also removes staging
folders the earlier, file-by-file writer left inside ``out_dir`` (``.packet-*``,
``.public-*``). Where ``RENAME_EXCHANGE`` is missing (another kernel or file system), the old
folder is renamed aside (``.NAME.previous-XXXX``) and the new one renamed in: a kill between
the two renames leaves no folder under the final name for a moment, and the next run puts the
old one back before it starts. Two runs into one folder at once are refused (a lock on the
parent folder), as each would remove the other's staging folder.

``out_dir`` must be a folder of its own: not the current folder or one above it (the shell
would be left in a removed folder) and not a mount point (which cannot be renamed).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import secrets
import shutil
import stat
from collections.abc import Collection, Iterator
from pathlib import Path

from testimonio.errors import InputError, StorageError

__all__ = ["replaced_folder", "write_text_atomically"]

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step; False when the system cannot (the caller falls back)."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                         ctypes.c_uint]  # fmt: skip
    function.restype = ctypes.c_int
    if function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                _RENAME_EXCHANGE) == 0:  # fmt: skip
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _fsync(path: Path, directory: bool) -> None:
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0)
    descriptor = os.open(path, flags)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _fsync_tree(root: Path) -> None:
    """Flush every file, then every folder bottom-up, so the swap publishes only what is on disk."""
    for folder, _, files in os.walk(root, topdown=False):
        for name in files:
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink():
                _fsync(path, directory=False)
        _fsync(Path(folder), directory=True)


def _target(out_dir: Path) -> Path:
    """The real folder to replace (a symlink is followed: its target is the report's home)."""
    target = Path(os.path.realpath(out_dir))
    problem = ""
    if target.exists() and not target.is_dir():
        problem = "is not a folder"
    elif Path.cwd().resolve().is_relative_to(target):
        problem = "is the current folder or one above it"
    elif target.is_dir() and os.path.ismount(target):
        problem = "is a mount point"
    if problem:
        raise InputError(
            f"the output folder {problem}: a report replaces its folder whole (so that a crash "
            "leaves the old report or the new one, never half of each); give a folder of its "
            "own, such as a new subfolder",
            file=str(out_dir),
        )
    return target


@contextlib.contextmanager
def _locked(parent: Path, out_dir: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, as before
        yield
        return
    descriptor = os.open(parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(
                "another report is being written beside this folder; run again when it ends",
                file=str(out_dir),
            ) from None
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _leftovers(target: Path, kind: str) -> list[Path]:
    prefix = f".{target.name}.{kind}-"
    found = [entry for entry in target.parent.iterdir() if entry.name.startswith(prefix)]
    return sorted(found, key=lambda path: path.stat().st_mtime)


def _recover(target: Path) -> None:
    """Undo what a killed run left: put an old folder back if it was renamed aside with no
    new one in its place, then remove every staging folder (each is a half-written report or
    an old one already replaced). Staging folders of the earlier writer, inside the folder,
    are left out of the new one (see :func:`_carry_over`), so they go with the swap."""
    aside = _leftovers(target, "previous")
    if aside and not target.exists():
        aside.pop().rename(target)
    for leftover in [*aside, *_leftovers(target, "staging")]:
        shutil.rmtree(leftover, ignore_errors=True)


def _new_staging(target: Path) -> Path:
    staging = target.parent / f".{target.name}.staging-{secrets.token_hex(4)}"
    staging.mkdir()  # the umask decides its mode, as for a folder made with mkdir
    if target.is_dir():
        staging.chmod(stat.S_IMODE(target.stat().st_mode))  # a served folder stays readable
    return staging


def _link_tree(source: Path, destination: Path) -> None:
    """Hard-link ``source`` (a file or a folder) as ``destination``: no data copied, and the
    old folder keeps its own name for it until the swap. Copied where linking is refused."""
    if source.is_symlink():
        os.symlink(os.readlink(source), destination)
    elif source.is_dir():
        destination.mkdir()
        shutil.copystat(source, destination)
        for child in source.iterdir():
            _link_tree(child, destination / child.name)
    elif source.is_file():
        try:
            os.link(source, destination)
        except OSError:
            shutil.copy2(source, destination)
    # a socket or a pipe is not carried over: it is not something a report folder keeps


def _carry_over(target: Path, staging: Path, owned: Collection[str], legacy: str) -> None:
    if not target.is_dir():
        return
    for entry in target.iterdir():
        name = entry.name
        if name in owned or name.startswith(legacy) or (staging / name).exists():
            continue
        _link_tree(entry, staging / name)


def _swap(staging: Path, target: Path) -> None:
    if not target.exists():
        staging.rename(target)
    elif not _exchange(staging, target):
        aside = target.parent / f".{target.name}.previous-{secrets.token_hex(4)}"
        target.rename(aside)
        staging.rename(target)
        _fsync(target.parent, directory=True)
        shutil.rmtree(aside, ignore_errors=True)
    _fsync(target.parent, directory=True)


@contextlib.contextmanager
def replaced_folder(out_dir: Path, owned: Collection[str], legacy: str) -> Iterator[Path]:
    """Yield a staging folder to write the report into; when the block ends without an
    error, replace ``out_dir`` with it whole (see the module docstring). ``owned`` names the
    entries of ``out_dir`` the report writes (left behind if the new report has no such
    entry, e.g. an exhibit dropped since); every other entry is carried over. ``legacy`` is
    the prefix of staging folders an earlier writer left inside ``out_dir``."""
    target = _target(out_dir)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StorageError(
            f"the output folder cannot be made ({error.strerror}); nothing was written",
        ) from None
    with _locked(target.parent, out_dir):
        _recover(target)
        staging = _new_staging(target)
        try:
            yield staging
            _carry_over(target, staging, owned, legacy)
            _fsync_tree(staging)
            _swap(staging, target)
        finally:
            # After the swap this path holds the old folder; before it, the half-written one.
            shutil.rmtree(staging, ignore_errors=True)


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so a kill leaves the old file or the new one, never a part
    (a temporary file beside it, flushed, then renamed over it; the folder flushed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in path.parent.iterdir():
        if leftover.name.startswith(f".{path.name}.tmp-"):
            leftover.unlink(missing_ok=True)  # from a write that was killed
    temporary = path.parent / f".{path.name}.tmp-{secrets.token_hex(4)}"
    try:
        with temporary.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
    _fsync(path.parent, directory=True)
