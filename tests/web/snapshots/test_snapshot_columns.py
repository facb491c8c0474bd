"""Each snapshot column is read from the right Django field: one hand-made person, two lists."""

from __future__ import annotations

import pandas as pd
import pytest

from testimonio.web.cases.actions import (
    do_code_encounter,
    do_create_person,
    do_create_record,
    do_create_source,
)
from testimonio.web.cases.actions.encounters import do_record_encounter
from testimonio.web.cases.models import Project
from testimonio.web.keys.identity import IdentityFields
from testimonio.web.linking.models import LinkRun
from testimonio.web.snapshots.tables import build_snapshot_tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def tables(project: Project) -> dict[str, object]:
    legal_aid = do_create_source(project, "Legal aid", None, kind="intake_log")
    shelter = do_create_source(project, "Legal-aid", None, kind="survey")  # the same slug
    person = do_create_person(project, None)
    identity = IdentityFields(given_names="Canary", surnames="Birdsong", birth_date="1990-04-02")
    first = do_create_record(
        legal_aid, None, person=person, identity=identity,
        attributes={"nationality": "HN", "language": "spa", "gender_identity": "woman",
                    "age_band": "18-29"},
        vulnerabilities=["VUL.FAMILY_WITH_CHILDREN", "VUL.ACCOMPANIED_MINOR"],
    )  # fmt: skip
    do_create_record(shelter, None, person=person, identity=identity)
    encounter = do_record_encounter(
        person, None, date="2018-06", port="2504-SYS", attempt_number=2, fear_expressed="yes",
        fear_language="spa", outcome="OUT.TURNED_BACK", record=first,
    )  # fmt: skip
    for code in ("TAC.THREAT", "FEAR.MODE.STATED_FEAR"):
        do_code_encounter(encounter, code, None)
    LinkRun.objects.create(project=project, input_hash="0" * 64, threshold=0.9)
    return build_snapshot_tables(project)  # type: ignore[return-value]


def test_records_carry_the_coded_attributes_only(tables: dict) -> None:  # type: ignore[type-arg]
    records = tables["records"].to_dict("records")
    assert records[0] == {
        "record_id": "R-00000000", "person_id": "P-000001", "source_id": "legal-aid",
        "nationality": "HN", "language": "spa", "gender_identity": "woman", "age_band": "18-29",
        "vulnerabilities": "VUL.ACCOMPANIED_MINOR VUL.FAMILY_WITH_CHILDREN",
    }  # fmt: skip
    assert records[1]["source_id"] != "legal-aid" and records[1]["vulnerabilities"] == ""
    assert "Canary" not in tables["records"].to_csv()


def test_sources_with_the_same_slug_get_distinct_keys(tables: dict) -> None:  # type: ignore[type-arg]
    sources = tables["sources"]
    assert sources["source_id"].is_unique
    assert list(sources["kind"]) == ["intake_log", "survey"]
    assert len(tables["list_membership"]) == 2  # the person is on both lists


def test_an_encounter_keeps_its_date_precision_port_fear_and_outcome(tables: dict) -> None:  # type: ignore[type-arg]
    encounter = tables["encounters"].iloc[0]
    assert (encounter["date_year"], encounter["date_month"]) == (2018, 6)
    assert encounter["date_day"] is pd.NA and encounter["date_precision"] == "month"
    assert encounter["port"] == "2504-SYS" and encounter["attempt_number"] == 2
    assert (encounter["fear_expressed"], encounter["fear_language"]) == ("yes", "spa")
    assert encounter["fear_mode"] == "FEAR.MODE.STATED_FEAR"
    assert encounter["outcome"] == "OUT.TURNED_BACK" and encounter["record_id"] == "R-00000000"


def test_codings_carry_their_labels(tables: dict) -> None:  # type: ignore[type-arg]
    codings = tables["codings"].set_index("term_code")
    assert set(codings.index) == {"TAC.THREAT", "FEAR.MODE.STATED_FEAR"}
    assert codings.loc["TAC.THREAT", "label_es"] and codings.loc["TAC.THREAT", "label_en"]
