"""Date formats per language (FORMAT_MODULE_PATH), over Django's own locale formats.

Django's short formats are numeric (12/06/2026 in English, 06/12/2026 in Spanish): the same
digits mean two dates, the very confusion imports guard against. Ours name the month in the
page's language (6 Dec 2026 / 6 dic 2026), so no reader of either language misreads a date.
Numbers keep Django's formats: 1,234.5 in English; 1 234,5 in Spanish (a non-breaking space
groups thousands, as the RAE recommends).
"""
