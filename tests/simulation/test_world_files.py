"""Every file the simulator writes opens in its real reader and agrees with truth/."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pypdf
import pytest

from testimonio.simulation.config import default_config
from testimonio.simulation.world import WorldSummary, generate_world

KOBO_METADATA = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
                 "_submitted_by", "__version__", "_tags", "_index"]  # fmt: skip


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> WorldSummary:
    out = tmp_path_factory.mktemp("world")
    return generate_world(default_config(people=2500, seed=11, max_declaration_documents=12), out)


def read_truth(world: WorldSummary, name: str) -> pd.DataFrame:
    return pd.read_csv(world.out_dir / "truth" / name, dtype=str, keep_default_na=False)


def test_the_legal_aid_log_is_an_english_csv(world: WorldSummary) -> None:
    with (world.out_dir / "legal_aid" / "intake_log.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {"first_name", "last_name", "dob", "port_of_entry", "what_happened"} <= set(rows[0])
    assert len(rows) == world.sources[0].records


def test_the_kobo_export_parses_with_semicolons_and_kobo_columns(world: WorldSummary) -> None:
    path = world.out_dir / "shelter_survey" / "kobo_export.csv"
    first_line = path.read_text(encoding="utf-8").splitlines()[1]
    assert first_line.startswith('"') and '";"' in first_line  # every value quoted
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    header = list(rows[0])
    assert header[-len(KOBO_METADATA) :] == KOBO_METADATA
    assert "datos_personales/nombres" in header and "intento/tacticas/no_hay_asilo" in header
    choices = [column.split("/")[-1] for column in header if column.startswith("intento/tacticas/")]
    for row in rows:
        chosen = set(row["intento/tacticas"].split())
        assert chosen == {choice for choice in choices if row[f"intento/tacticas/{choice}"] == "1"}


def test_the_partner_spreadsheet_opens_in_openpyxl_with_spanish_headers(
    world: WorldSummary,
) -> None:
    workbook = openpyxl.load_workbook(
        world.out_dir / "partner_spreadsheet" / "registro_intentos.xlsx", read_only=True
    )
    rows = list(workbook["Registro"].iter_rows(values_only=True))
    assert rows[0][:3] == ("No.", "Fecha de registro", "Nombre completo")
    assert len(rows) - 1 == world.sources[2].records
    kinds = {type(row[7]).__name__ for row in rows[1:]}
    assert {"datetime", "str", "int"} <= kinds  # real dates, text dates and lost-format serials
    workbook.close()


def documents(world: WorldSummary, suffix: str) -> list[Path]:
    return sorted((world.out_dir / "declarations" / "documents").glob(f"*.{suffix}"))


def test_declarations_open_in_python_docx_with_numbered_paragraphs(world: WorldSummary) -> None:
    assert documents(world, "docx")
    for path in documents(world, "docx"):
        texts = [paragraph.text for paragraph in docx.Document(str(path)).paragraphs]
        assert any(text.startswith("1. ") for text in texts)
        assert any("penalty of perjury" in text or "pena de perjurio" in text for text in texts)


def test_declarations_open_in_pypdf_with_accents_intact(world: WorldSummary) -> None:
    assert documents(world, "pdf")
    texts = [
        "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
        for path in documents(world, "pdf")
    ]
    assert all("\n1. " in text for text in texts)
    people = read_truth(world, "people.csv")
    index = pd.read_csv(
        world.out_dir / "declarations" / "exhibit_index.csv", dtype=str, keep_default_na=False
    )
    pdf_names = index.declarant_name[index.file.str.endswith(".pdf")]
    with_accents = [name for name in pdf_names if any(char in name for char in "áéíóúñÁÉÍÓÚÑ")]
    assert len(people) == world.people
    assert all(any(name in text.replace("\n", " ") for text in texts) for name in with_accents)


def test_the_exhibit_index_lists_every_declaration_and_caps_documents(world: WorldSummary) -> None:
    index = pd.read_csv(
        world.out_dir / "declarations" / "exhibit_index.csv", dtype=str, keep_default_na=False
    )
    assert len(index) == world.sources[3].records
    assert (index.file != "").sum() == min(12, len(index))


def test_records_point_to_real_people_on_that_list(world: WorldSummary) -> None:
    people = read_truth(world, "people.csv").set_index("person_id")
    records = read_truth(world, "records.csv")
    for source in world.sources:
        mine = records[records.source == source.key]
        assert len(mine) == source.records
        assert set(people.loc[mine.person_id, f"on_{source.key}"]) == {"1"}
        assert (
            mine.person_id.nunique()
            == source.people
            == int((people[f"on_{source.key}"] == "1").sum())
        )
    assert set(people.loc[records.person_id, "ever_turned_away"]) == {"1"}


def test_the_legal_aid_rows_tell_the_true_attempt_count(world: WorldSummary) -> None:
    people = read_truth(world, "people.csv").set_index("person_id")
    records = read_truth(world, "records.csv")
    intake = pd.read_csv(
        world.out_dir / "legal_aid" / "intake_log.csv", dtype=str, keep_default_na=False
    )
    truth = records[records.source == "legal_aid"].set_index("record_id")
    attempts = people.loc[truth.loc[intake.intake_id, "person_id"], "turn_backs"].to_numpy()
    assert (intake.number_of_attempts.to_numpy() == attempts).all()


def test_duplicates_within_a_list_point_to_an_earlier_record_of_the_same_person(
    world: WorldSummary,
) -> None:
    records = read_truth(world, "records.csv")
    duplicates = records[records.duplicate_of != ""]
    assert len(duplicates) > 0
    by_id = records.drop_duplicates(["source", "record_id"]).set_index(["source", "record_id"])
    for row in duplicates.itertuples():
        assert by_id.loc[(row.source, row.duplicate_of), "person_id"] == row.person_id


def test_records_carry_noise_but_mostly_resemble_the_person(world: WorldSummary) -> None:
    people = read_truth(world, "people.csv").set_index("person_id")
    records = read_truth(world, "records.csv")
    intake = pd.read_csv(
        world.out_dir / "legal_aid" / "intake_log.csv", dtype=str, keep_default_na=False
    )
    truth = people.loc[records.set_index("record_id").loc[intake.intake_id, "person_id"]]
    exact = (intake.first_name.to_numpy() == truth.given_names.to_numpy()).mean()
    assert 0.2 < exact < 0.95


def test_the_summary_holds_the_true_population_and_turned_away_counts(world: WorldSummary) -> None:
    summary = json.loads((world.out_dir / "truth" / "summary.json").read_text(encoding="utf-8"))
    people = read_truth(world, "people.csv")
    assert summary["population_size"] == len(people) == 2500
    assert summary["ever_turned_away"] == int((people.ever_turned_away == "1").sum())
    patterns = read_truth(world, "capture_histories.csv")
    assert patterns["count"].astype(int).sum() == summary["documented_people"]


def test_declaration_paragraphs_tell_only_true_tactics(world: WorldSummary) -> None:
    paragraphs = read_truth(world, "declaration_paragraphs.csv")
    encounters = read_truth(world, "encounters.csv").set_index("encounter_id")
    for row in paragraphs.itertuples():
        assert set(row.tactics_told.split()) <= set(
            encounters.loc[row.encounter_id, "tactics"].split()
        )


def test_the_summary_describes_what_was_generated_and_where(world: WorldSummary) -> None:
    text = world.describe()
    assert "2,500 people" in text and str(world.out_dir / "truth") in text
    assert "legal_aid/intake_log.csv" in text


def test_the_kobo_xlsx_export_has_a_sheet_per_repeat_group_joined_by_index(
    world: WorldSummary,
) -> None:
    path = world.out_dir / "shelter_survey" / "kobo_export.xlsx"
    workbook = openpyxl.load_workbook(path, read_only=True)
    assert workbook.sheetnames == ["Encuesta albergue", "intentos"]
    main_rows = list(workbook["Encuesta albergue"].iter_rows(values_only=True))
    repeat_rows = list(workbook["intentos"].iter_rows(values_only=True))
    workbook.close()
    main = pd.DataFrame(main_rows[1:], columns=main_rows[0])
    repeat = pd.DataFrame(repeat_rows[1:], columns=repeat_rows[0])
    with (world.out_dir / "shelter_survey" / "kobo_export.csv").open(encoding="utf-8") as handle:
        csv_rows = list(csv.reader(handle, delimiter=";"))
    assert list(main.columns) == csv_rows[0] and len(main) == len(csv_rows) - 1
    assert [str(value) for value in main["_id"]] == [
        row[csv_rows[0].index("_id")] for row in csv_rows[1:]
    ]
    assert set(repeat["_parent_table_name"]) == {"Encuesta albergue"}
    assert set(repeat["_parent_index"]) == set(main["_index"])
    joined = repeat.merge(main, left_on="_parent_index", right_on="_index", suffixes=("", "_main"))
    assert len(joined) == len(repeat)
    assert (joined["_submission__id"] == joined["_id"]).all()
    per_submission = repeat.groupby("_parent_index").size()
    attempts = main.set_index("_index")["intento/num_intentos"]
    assert (per_submission == attempts.loc[per_submission.index]).all()
    last = repeat.groupby("_parent_index").tail(1).set_index("_parent_index")
    told = main.set_index("_index").loc[last.index]
    assert (last["intentos/fecha"] == told["intento/fecha_intento"]).all()
    assert (last["intentos/tacticas"].fillna("") == told["intento/tacticas"].fillna("")).all()


def test_the_kobo_csv_can_carry_a_row_of_hxl_hashtags(tmp_path: Path) -> None:
    config = default_config(people=400, seed=4, sources=2, kobo_hxl_tags=True)
    summary = generate_world(config, tmp_path)
    with (tmp_path / "shelter_survey" / "kobo_export.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header, tags = rows[0], rows[1]
    assert tags[header.index("datos_personales/nombres")] == "#beneficiary+name+given"
    assert all(tag == "" or tag.startswith("#") for tag in tags)
    assert len(rows) - 2 == summary.sources[1].records
    records = pd.read_csv(tmp_path / "truth" / "records.csv", dtype=str, keep_default_na=False)
    kobo = records[records.source == "shelter_survey"]
    assert sorted(kobo.location.astype(int)) == list(range(3, len(rows) + 1))


def test_spanish_declarations_carry_accents(world: WorldSummary) -> None:
    from testimonio.simulation.phrases import TACTIC_WORDS
    from testimonio.simulation.sources.declaration_text import OUTCOME_SENTENCES

    assert "México" in TACTIC_WORDS["TAC.PHYS_ABUSE.PUSH"].declaration_es
    assert "Mexico" not in " ".join(words.declaration_es for words in TACTIC_WORDS.values())
    assert "Después" in OUTCOME_SENTENCES["OUT.WITHDREW"][1]
    assert TACTIC_WORDS["TAC.DENY.REDIRECT"].spanish == "lo mandaron a otra garita"
    assert "deportacion" in TACTIC_WORDS["TAC.THREAT.DEPORTATION"].spanish  # spreadsheets drop them
