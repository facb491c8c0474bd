"""Reading what organisations hold: readers, mapping profiles, validation, row identity.

Plain Python (no Django, no CLI): the web upload flow and the command line both call it, and it
must never import ``testimonio.web`` or ``testimonio.cli``. Steps, each in its own module:
check and read a file into tables (:mod:`.file_checks`, :mod:`.readers`), map its columns and
words to our fields and codes (:mod:`.mapping`, :mod:`.matching`, :mod:`.dates`), validate rows
(:mod:`.validation`), report problems safely (:mod:`.report`) and fingerprint raw rows
(:mod:`.row_identity`). Identity values never appear in an error, a report or a profile.
"""
