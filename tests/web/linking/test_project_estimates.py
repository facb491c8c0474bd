"""Estimating from a project's linked persons: capture histories, strata, and recorded runs."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from testimonio.cli.main import cli
from testimonio.errors import InputError
from testimonio.estimation import CaptureHistories
from testimonio.web.audit.models import AuditEvent
from testimonio.web.cases.actions import do_create_person, do_create_record, do_create_source
from testimonio.web.cases.actions.encounters import do_record_encounter
from testimonio.web.cases.models import Project, Source
from testimonio.web.linking.histories import project_capture_histories
from testimonio.web.linking.models import EstimateRun, LinkRun

#: (on legal aid, on shelter, on partner) -> people with that pattern; 37 people in all.
PATTERNS = {(1, 0, 0): 10, (0, 1, 0): 8, (0, 0, 1): 9, (1, 1, 0): 3, (1, 0, 1): 4, (0, 1, 1): 2}
PATTERNS[(1, 1, 1)] = 1
PORTS = ("2504-SYS", "2402-PDN")  # San Ysidro (CA), El Paso (TX)


def three_sources(project: Project) -> list[Source]:
    names = ("Legal aid", "Shelter", "Partner")
    return [do_create_source(project, name, None) for name in names]


@pytest.fixture
def linked_project(project: Project) -> Project:
    """A project whose persons are documented by three sources in the patterns above.

    Every other person's first encounter is at San Ysidro, the others' at El Paso; each person
    also has a later encounter at the other port, which must not decide the stratum.
    """
    sources = three_sources(project)
    number = 0
    for pattern, count in PATTERNS.items():
        for _ in range(count):
            person = do_create_person(project, None)
            for on, source in zip(pattern, sources, strict=True):
                if on:
                    do_create_record(source, None, person=person)
            first, later = PORTS if number % 2 == 0 else PORTS[::-1]
            do_record_encounter(person, None, date="2019-05", port=later)
            do_record_encounter(person, None, date="2018-03-02", port=first)
            number += 1
    return project


def as_counts(histories: CaptureHistories) -> dict[tuple[int, ...], int]:
    return {
        tuple(int(value) for value in pattern): int(count)
        for pattern, count in zip(histories.patterns, histories.counts, strict=True)
    }


def test_each_person_is_on_the_sources_their_records_came_from(linked_project: Project) -> None:
    histories, digest = project_capture_histories(linked_project)
    assert isinstance(histories, CaptureHistories)
    assert histories.list_names == ("Legal aid", "Partner", "Shelter")  # by name
    reordered = {(a, c, b): count for (a, b, c), count in PATTERNS.items()}
    assert as_counts(histories) == reordered
    assert len(digest) == 64
    assert project_capture_histories(linked_project)[1] == digest


def test_without_a_linkage_run_every_estimate_warns_of_double_counting(
    linked_project: Project,
) -> None:
    histories, _ = project_capture_histories(linked_project)
    assert isinstance(histories, CaptureHistories)
    assert any("no linkage has been run" in warning for warning in histories.warnings)
    LinkRun.objects.create(project=linked_project, input_hash="0" * 64, threshold=0.9)
    linked, _ = project_capture_histories(linked_project)
    assert isinstance(linked, CaptureHistories)
    assert not any("no linkage has been run" in warning for warning in linked.warnings)


def test_a_person_with_two_records_of_one_source_counts_once(linked_project: Project) -> None:
    source = Source.objects.get(project=linked_project, name="Legal aid")
    person = source.records.first().person  # type: ignore[union-attr]
    do_create_record(source, None, person=person)
    histories, _ = project_capture_histories(linked_project)
    assert isinstance(histories, CaptureHistories)
    assert histories.observed == sum(PATTERNS.values())


def test_strata_come_from_each_persons_earliest_encounter(linked_project: Project) -> None:
    by_state, _ = project_capture_histories(linked_project, stratify="state")
    by_port, _ = project_capture_histories(linked_project, stratify="port")
    by_year, _ = project_capture_histories(linked_project, stratify="year")
    assert isinstance(by_state, dict) and isinstance(by_port, dict) and isinstance(by_year, dict)
    assert {name: part.observed for name, part in by_state.items()} == {"CA": 19, "TX": 18}
    assert sorted(by_port) == sorted(PORTS)
    assert {name: part.observed for name, part in by_year.items()} == {"2018": 37}


def test_people_without_the_stratum_are_a_flagged_stratum_of_their_own(
    linked_project: Project,
) -> None:
    extra = do_create_person(linked_project, None)
    for source in Source.objects.filter(project=linked_project):
        do_create_record(source, None, person=extra)
    by_state, _ = project_capture_histories(linked_project, stratify="state")
    assert isinstance(by_state, dict)
    assert by_state["unknown"].observed == 1
    assert any("no state recorded" in warning for warning in by_state["unknown"].warnings)
    assert not any("no state recorded" in warning for warning in by_state["CA"].warnings)


def test_a_source_without_records_is_left_out_with_a_warning(linked_project: Project) -> None:
    do_create_source(linked_project, "Hotline", None)
    histories, _ = project_capture_histories(linked_project)
    assert isinstance(histories, CaptureHistories)
    assert "Hotline" not in histories.list_names
    assert any("no records: Hotline" in warning for warning in histories.warnings)


def test_it_refuses_records_that_belong_to_no_person(linked_project: Project) -> None:
    do_create_record(Source.objects.get(project=linked_project, name="Shelter"), None)
    with pytest.raises(InputError, match="1 records .* belong to no person"):
        project_capture_histories(linked_project)


def test_it_needs_three_sources(project: Project) -> None:
    do_create_source(project, "Legal aid", None)
    with pytest.raises(InputError, match="needs at least 3"):
        project_capture_histories(project)


def test_estimate_without_a_file_records_runs_from_the_projects_persons(
    linked_project: Project,
) -> None:
    arguments = ["estimate", "--project", linked_project.slug, "--method", "all", "--json"]
    arguments += ["--iterations", "2000", "--stratify", "state"]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    total = {entry["method"]: entry for entry in payload["total"]}
    for method, entry in total.items():
        parts = [
            next(e for e in payload["strata"][s] if e["method"] == method) for s in ["CA", "TX"]
        ]
        assert entry["observed"] == 37
        assert entry["estimate"] == pytest.approx(sum(part["estimate"] for part in parts))
    runs = EstimateRun.objects.filter(project=linked_project)
    assert sorted(set(runs.values_list("stratum", flat=True))) == ["(all strata)", "CA", "TX"]
    _, digest = project_capture_histories(linked_project, stratify="state")
    assert set(runs.values_list("input_hash", flat=True)) == {digest}
    run = runs.first()
    assert run is not None and run.settings["input"] == "project persons"
    assert run.settings["file"] is None
    events = AuditEvent.objects.filter(action="analyses.estimate.record")
    assert events.count() == runs.count()


def test_no_pseudonym_leaves_in_the_estimate(linked_project: Project) -> None:
    result = CliRunner().invoke(cli, ["estimate", "--project", linked_project.slug, "--json"])
    assert result.exit_code == 0, result.output
    assert "P-0" not in result.output
    pseudonyms = linked_project.persons.values_list("pseudonym", flat=True)
    recorded = json.dumps(list(EstimateRun.objects.values_list("result", "settings")))
    assert not any(pseudonym in recorded for pseudonym in pseudonyms)
    assert np.isfinite(json.loads(result.stdout)["estimate"])


def test_estimate_needs_a_file_or_a_project() -> None:
    result = CliRunner().invoke(cli, ["estimate"])
    assert result.exit_code == 2
    assert "--project" in result.output
