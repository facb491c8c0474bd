"""Strong disagreement among the records of one person: the mark of a wrong merge.

Linkage joins records whose names and birth dates look alike, so a mother and her daughter
with the same names, or two cousins, can end up as one person. What betrays such a merge is
a fact two records cannot both be true of one individual: birth years far apart, different
sexes, one list naming the "same" person twice with different birth years, or two encounters
on the same day at different ports. This module names those facts by **reason codes** only.

One list holding two records of a person is not enough on its own: logs of attempts list a
person once per attempt. On the demo world (2,960 records, 1,857 persons, 25 of them wrong
merges by the simulator's truth) "two records of one list" flagged 285 right persons for 19
wrong ones; with "and different birth years" it flags 0 right ones and, with the other
reasons, 11 of the 25 wrong merges for 1 right one.

What must always hold: the codes never carry a value (no year, no port, no name), so they may
be stored, audited and shown to any role; the facts they are computed from (birth dates,
opened from sealed fields) live only in memory, in the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

#: Birth years further apart than this are not one person's (typing slips of a digit or two
#: in the last place stay under it; a parent and child do not).
MAX_BIRTH_YEAR_GAP = 10

#: Reason code -> what it means, in words that name no value.
DISAGREEMENT_REASONS: dict[str, str] = {
    "birth_years_apart": f"birth years more than {MAX_BIRTH_YEAR_GAP} years apart",
    "sexes_differ": "records give different sexes or gender identities",
    "same_source_twice": "one source list holds two of the records, with different birth years",
    "encounters_conflict": "encounters on the same day at different ports",
}

#: Gender identities that cannot both describe one person (unknown and non-binary do not count).
_GENDER_SIDES = {
    "woman": "female",
    "transgender_woman": "female",
    "man": "male",
    "transgender_man": "male",
}


@dataclass(frozen=True)
class RecordFacts:
    """What one record says that a merge must agree with (plaintext: memory only)."""

    record_id: int
    source_id: int
    birth_date: str = ""  # partial ISO date, as sealed: YYYY, YYYY-MM or YYYY-MM-DD
    sex: str = ""  # female, male, other, unknown
    gender_identity: str = ""
    #: (day as YYYY-MM-DD, port code) of each encounter the record reports with a known day.
    encounters: tuple[tuple[str, str], ...] = field(default=())

    def __repr__(self) -> str:
        # A traceback must not print a birth date.
        return f"RecordFacts(record_id={self.record_id}, <sealed>)"


def disagreements(records: Sequence[RecordFacts]) -> list[str]:
    """The reason codes (sorted, each once) on which ``records`` cannot all be one person."""
    found: set[str] = set()
    for first, second in combinations(records, 2):
        found.update(pair_disagreements(first, second))
    return sorted(found)


def pair_disagreements(first: RecordFacts, second: RecordFacts) -> list[str]:
    """The reason codes on which two records cannot be one person."""
    checks = {
        "birth_years_apart": _birth_years_apart,
        "sexes_differ": _sexes_differ,
        "same_source_twice": _same_source_twice,
        "encounters_conflict": _encounters_conflict,
    }
    return sorted(code for code, check in checks.items() if check(first, second))


def describe_disagreements(codes: Iterable[str]) -> list[str]:
    """The reasons in words, for a page (unknown codes are shown as they are)."""
    return [DISAGREEMENT_REASONS.get(code, code) for code in codes]


def _birth_year(text: str) -> int | None:
    head = text.strip()[:4]
    return int(head) if len(head) == 4 and head.isdigit() else None


def _birth_years_apart(first: RecordFacts, second: RecordFacts) -> bool:
    years = _birth_year(first.birth_date), _birth_year(second.birth_date)
    if years[0] is None or years[1] is None:
        return False
    return abs(years[0] - years[1]) > MAX_BIRTH_YEAR_GAP


def _same_source_twice(first: RecordFacts, second: RecordFacts) -> bool:
    if first.source_id != second.source_id:
        return False
    years = _birth_year(first.birth_date), _birth_year(second.birth_date)
    return None not in years and years[0] != years[1]


def _sexes_differ(first: RecordFacts, second: RecordFacts) -> bool:
    # Compared within one field kind at a time: a transgender woman's record may say "male"
    # as sex and "woman" as gender identity; across records only like with like disagrees.
    sexes = {first.sex, second.sex}
    if sexes == {"female", "male"}:
        return True
    genders = {_GENDER_SIDES.get(first.gender_identity), _GENDER_SIDES.get(second.gender_identity)}
    return genders == {"female", "male"}


def _encounters_conflict(first: RecordFacts, second: RecordFacts) -> bool:
    ports_by_day: dict[str, set[str]] = {}
    for day, port in first.encounters:
        if day and port:
            ports_by_day.setdefault(day, set()).add(port)
    return any(
        day in ports_by_day and port not in ports_by_day[day]
        for day, port in second.encounters
        if day and port
    )
