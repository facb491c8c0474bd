"""Shipped vocabularies and reference data (ports, languages, nationalities) as data files.

Plain data and the code that reads it: no Django, no heavy dependency, so that every other
package (the import, linkage, the simulator) can use it cheaply.
"""

from testimonio.vocab.bundle import Bundle, Term, bundled_path, read_bundle
from testimonio.vocab.versioning import check_codes_keep_their_meaning

__all__ = ["Bundle", "Term", "bundled_path", "check_codes_keep_their_meaning", "read_bundle"]
