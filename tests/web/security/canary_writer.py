"""Run as a script: write a canary person through the actions, reveal them, and exit.

Used by the at-rest tests, which then search every byte the instance left behind.
"""

from __future__ import annotations

import sys

from testimonio.web.setup import setup_django

CANARY_NAME, CANARY_SURNAME = "Canarito Zzyzxq", "Pajarolindo Qwertz"
CANARY_BIRTH_DATE, CANARY_PHONE = "1987-11-23", "+52 664 987 1234"
CANARY_NARRATIVE = "Xylofonista Quetzalcoatlus me dijo que no había asilo."


def main() -> None:
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from testimonio.vocab.bundle import bundled_path, read_bundle
    from testimonio.web.cases.actions import (
        do_create_person,
        do_create_project,
        do_create_record,
        do_create_source,
        do_load_vocabulary,
        do_record_encounter,
    )
    from testimonio.web.keys.identity import IdentityFields, reveal_identity

    vocabulary = do_load_vocabulary(read_bundle(bundled_path()), None).version
    project = do_create_project("Canary", vocabulary, None, slug="canary")
    source = do_create_source(project, "intake", None)
    person = do_create_person(project, None)
    identity = IdentityFields(CANARY_NAME, CANARY_SURNAME, CANARY_BIRTH_DATE, CANARY_PHONE)
    record = do_create_record(source, None, person=person, identity=identity)
    do_record_encounter(person, None, date="2018-06", narrative=CANARY_NARRATIVE)
    assert reveal_identity(record, None, reason="canary test") == identity
    sys.stdout.write("written\n")


if __name__ == "__main__":
    main()
