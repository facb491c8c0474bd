"""A date column whose every date reads both day first and month first is never guessed: the
proposal leaves its order open and an import needs a person's choice (or the profile's)."""

from __future__ import annotations

import pytest

from testimonio.errors import InputError
from testimonio.ingest.date_order_review import confirm_date_orders, unconfirmed_date_columns
from testimonio.ingest.mapping import propose_mapping
from testimonio.ingest.readers import read_bytes
from testimonio.ingest.tables import Table
from testimonio.partial_dates import date_order_is_ambiguous
from testimonio.vocab.bundle import Bundle

AMBIGUOUS = (
    "Fecha del intento;Garita\n03/09/2017;2504-SYS\n04/10/2017;2504-SYS\n12/01/2018;2504-SYS\n"
)


def table(text: str = AMBIGUOUS) -> Table:
    return read_bytes(text.encode(), "registro.csv").tables[0]


def test_a_column_is_ambiguous_only_when_no_date_settles_its_order() -> None:
    assert date_order_is_ambiguous(["03/09/2017", "04/10/2017"])
    assert not date_order_is_ambiguous(["03/09/2017", "03/25/2017"])  # 25 is no month
    assert not date_order_is_ambiguous(["03/03/2017", "2017-09-04"])  # the same both ways
    assert date_order_is_ambiguous(["25/03/2017", "03/25/2017", "03/09/2017"])  # one vote each


def test_the_proposal_leaves_an_ambiguous_order_open_and_says_so(vocabulary: Bundle) -> None:
    profile = propose_mapping(table(), vocabulary)
    assert profile.fields["encounter_date"].date_order is None  # a Spanish header decides nothing
    note = next(n for n in profile.review if n.startswith("encounter_date:"))
    assert "'Fecha del intento'" in note and "DMY or MDY" in note and "03/09/2017:" in note


def test_an_import_is_refused_until_the_order_is_chosen_naming_the_column(
    vocabulary: Bundle,
) -> None:
    source, profile = table(), propose_mapping(table(), vocabulary)
    with pytest.raises(InputError, match="'Fecha del intento' read as real dates both"):
        confirm_date_orders(source, profile, None, how="give --date-order")
    confirm_date_orders(source, profile, "MDY", how="give --date-order")
    assert profile.fields["encounter_date"].date_order == "MDY"
    assert unconfirmed_date_columns(source, profile) == []


def test_a_profile_that_says_the_order_is_a_confirmation(vocabulary: Bundle) -> None:
    source, profile = table(), propose_mapping(table(), vocabulary)
    profile.fields["encounter_date"].date_order = "DMY"
    confirm_date_orders(source, profile, None, how="")  # no error
    assert profile.fields["encounter_date"].date_order == "DMY"


def test_a_column_one_date_settles_is_guessed_as_before(vocabulary: Bundle) -> None:
    settled = table(AMBIGUOUS + "25/12/2017;2504-SYS\n")
    profile = propose_mapping(settled, vocabulary)
    assert profile.fields["encounter_date"].date_order == "DMY"
    assert unconfirmed_date_columns(settled, profile) == []
