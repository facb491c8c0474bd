"""Take a signed checkpoint of the audit chain (see :mod:`testimonio.crypto.checkpoints`)."""

from __future__ import annotations

import json
from datetime import datetime

from django.db import transaction

from testimonio.crypto import GENESIS_HASH, Checkpoint, case_file_line, sign_checkpoint
from testimonio.web.audit.keys import signing_key
from testimonio.web.audit.models import AuditHead
from testimonio.web.audit.verification import AuditHeadError, verify_chain


def take_checkpoint(now: datetime) -> tuple[str, str]:
    """The signed checkpoint of the chain as it stands (its file's JSON) and its case-file
    line. The head is locked while the chain is verified, so no event lands in between."""
    key = signing_key()  # a missing key stops us before the chain is read
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        problems = verify_chain()
        if problems:
            raise AuditHeadError(
                f"The audit chain is broken ({len(problems)} problem(s)), so it was not "
                "signed: run `testimonio audit verify` to see where."
            )
        events, last_hash = (head.last_sequence, head.last_hash) if head else (0, GENESIS_HASH)
    document = sign_checkpoint(Checkpoint(events, last_hash, now), key)
    return json.dumps(document, indent=2), case_file_line(document)
