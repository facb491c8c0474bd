"""The master keys an instance knows: the current one, and retired ones kept until deleted.

Rotation writes the new key beside the old one before re-wrapping anything, so at every moment
of a rotation (or after a crash in the middle of one) each wrapped data key can find its master
key here by id. Once rotation has finished, the retired key file can be deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from testimonio.crypto.keys import Key
from testimonio.errors import ConfigurationError


@dataclass(frozen=True)
class KeyRing:
    """The current master key (used to wrap) and every other key (only to unwrap)."""

    current: Key
    retired: tuple[Key, ...] = field(default=())

    def find(self, key_id: bytes) -> Key:
        """The key with this id; a clear error when it was deleted or never configured."""
        for key in (self.current, *self.retired):
            if key.key_id == key_id:
                return key
        raise ConfigurationError(
            f"Data was sealed with master key {key_id.hex()}, which is not configured "
            f"(the current key is {self.current.key_id.hex()}). Restore that key file, or "
            "check TESTIMONIO_MASTER_KEY_FILE."
        )

    def with_retired(self, keys: Iterable[Key]) -> KeyRing:
        extra = tuple(key for key in keys if key.key_id != self.current.key_id)
        return KeyRing(self.current, self.retired + extra)
