"""A wording is mapped only when it is a code, a known name or a documented alias; anything else
is shown for a person to map, with candidates, and never imported under an invented code."""

from __future__ import annotations

from dataclasses import replace

from testimonio.ingest.mapping import propose_mapping
from testimonio.ingest.readers import read_bytes
from testimonio.ingest.tables import Table
from testimonio.ingest.validation import validate_table
from testimonio.ingest.value_review import unknown_values
from testimonio.vocab.bundle import Bundle

LOG = (
    "Garita;Nacionalidad;Resultado\n"
    "Tijuana Airport;México;Regresado\n"
    "Otay Mesa;Hondura;OUT.TURNED_BACK\n"
    "Tijuana;Guatemala;OUT.TURNED_BACK\n"
)


def log() -> Table:
    return read_bytes(LOG.encode(), "registro.csv").tables[0]


def test_tijuana_airport_is_not_mapped_to_otay_mesa(vocabulary: Bundle) -> None:
    port = propose_mapping(log(), vocabulary).fields["port"]
    assert "Tijuana Airport" not in port.values
    assert port.values == {"Otay Mesa": "2506-OTM"}  # an exact name is still mapped


def test_a_city_shared_by_several_ports_is_no_alias_of_any(vocabulary: Bundle) -> None:
    assert "Tijuana" not in propose_mapping(log(), vocabulary).fields["port"].values


def test_a_misspelt_nationality_and_an_unknown_outcome_are_left_for_a_person(
    vocabulary: Bundle,
) -> None:
    fields = propose_mapping(log(), vocabulary).fields
    assert fields["nationality"].values == {"México": "MX", "Guatemala": "GT"}
    assert "Regresado" not in fields["outcome"].values


def test_each_unknown_value_is_listed_for_review_with_candidates_and_rows_only(
    vocabulary: Bundle,
) -> None:
    review = propose_mapping(log(), vocabulary).review
    port_notes = [note for note in review if note.startswith("port:")]
    assert len(port_notes) == 2
    assert "on rows 2 " in port_notes[0] and "2504-CBX" in port_notes[0]
    assert any(note.startswith("nationality:") and "candidates: HN" in note for note in review)
    assert not any(word in note for note in review for word in ("Tijuana", "Hondura", "Regres"))


def test_unknown_values_of_ports_nationalities_and_outcomes_come_with_candidates(
    vocabulary: Bundle,
) -> None:
    table = log()
    found = {
        (u.field, u.wording): u
        for u in unknown_values(table, propose_mapping(table, vocabulary), vocabulary)
    }
    assert set(found) == {
        ("port", "Tijuana Airport"),
        ("port", "Tijuana"),
        ("nationality", "Hondura"),
        ("outcome", "Regresado"),
    }
    assert found["port", "Tijuana Airport"].rows == (2,)
    assert "2504-CBX" in found["port", "Tijuana Airport"].candidates
    assert found["nationality", "Hondura"].candidates[0] == "HN"


def test_rows_with_an_unmapped_value_fail_validation_rather_than_take_a_guess(
    vocabulary: Bundle,
) -> None:
    table = log()
    rows, errors = validate_table(table, propose_mapping(table, vocabulary), vocabulary)
    assert rows == []
    assert {(e.row, e.column) for e in errors if e.field == "port"} == {
        (2, "Garita"),
        (4, "Garita"),
    }


def test_a_persons_choices_kept_as_value_aliases_import_and_leave_unmapped_empties_the_field(
    vocabulary: Bundle,
) -> None:
    table = log()
    profile = propose_mapping(table, vocabulary)
    port, nationality, outcome = (profile.fields[n] for n in ("port", "nationality", "outcome"))
    chosen = {
        "port": replace(port, values={**port.values, "Tijuana Airport": "2504-CBX", "Tijuana": ""}),
        "nationality": replace(nationality, values={**nationality.values, "Hondura": "HN"}),
        "outcome": replace(outcome, values={"Regresado": "OUT.TURNED_BACK"}),
    }
    profile = replace(profile, fields=chosen)
    assert unknown_values(table, profile, vocabulary) == []
    rows, errors = validate_table(table, profile, vocabulary)
    assert errors == []
    assert [row.attributes.port for row in rows] == ["2504-CBX", "2506-OTM", ""]
    assert rows[1].attributes.nationality == "HN"


def test_a_profile_wording_with_no_code_reads_as_leave_unmapped(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from testimonio.ingest.mapping import load_mapping

    path = tmp_path / "p.yaml"
    path.write_text("source: s\nfields:\n  port: {column: Garita, values: {Tijuana: }}\n")
    assert load_mapping(path).fields["port"].values == {"Tijuana": ""}


def test_the_report_names_candidate_codes_for_a_refused_wording_never_the_wording(
    vocabulary: Bundle,
) -> None:
    table = log()
    _, errors = validate_table(table, propose_mapping(table, vocabulary), vocabulary)
    airport = next(e for e in errors if e.field == "port" and e.row == 2)
    assert "closest codes: 2504-CBX" in airport.problem and "Tijuana" not in airport.problem
