"""`testimonio estimate`: the command contract of DESIGN.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from testimonio.cli.main import cli
from tests.reference import MSE

REFERENCE = MSE
CONTRACT_KEYS = {"method", "observed", "estimate", "lower", "upper", "level"}


@pytest.fixture
def new_orleans() -> Path:
    return REFERENCE / "sparsemse_NewOrl_5.csv"


def run(*arguments: str) -> object:
    return CliRunner().invoke(cli, ["estimate", *arguments])


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lists.csv"
    path.write_text(text)
    return path


def test_it_prints_the_contract_keys_as_json(new_orleans: Path) -> None:
    result = run(str(new_orleans), "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload.keys() >= CONTRACT_KEYS
    assert payload["observed"] == 185
    assert payload["estimate"] == pytest.approx(1_034.2, rel=1e-3)


def test_it_prints_a_readable_table_without_json(new_orleans: Path) -> None:
    result = run(str(new_orleans))
    assert result.exit_code == 0
    assert "1,034" in result.output and "observed 185" in result.output


@pytest.mark.slow
def test_it_runs_the_latent_class_model_with_a_seed(new_orleans: Path) -> None:
    arguments = (str(new_orleans), "--method", "lcmcr", "--iterations", "2000", "--json")
    first, second = run(*arguments, "--seed", "5"), run(*arguments, "--seed", "5")
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["estimate"] == json.loads(second.output)["estimate"]
    assert json.loads(first.output)["method"] == "lcmcr"
    assert json.loads(first.output)["diagnostics"]["seeds"] == [5, 6, 7, 8]  # four chains
    two = json.loads(run(*arguments, "--seed", "5", "--chains", "2").output)
    assert two["diagnostics"]["seeds"] == [5, 6]


@pytest.mark.slow
def test_lcmcr_is_checked_at_the_published_k_unless_it_is_already_used(new_orleans: Path) -> None:
    short = (str(new_orleans), "--method", "lcmcr", "--iterations", "2000", "--chains", "2")
    default = json.loads(run(*short, "--json").output)  # K=10 by default; 5 lists publish 15
    check = default["diagnostics"]["classes_sensitivity"]
    assert check["classes"] == [10, 15]
    assert check["medians"][0] == default["estimate"]
    moved = check["relative_difference"] > check["share"]
    assert any("latent classes" in warning for warning in default["warnings"]) == moved
    assert default["sound"] is not moved or not default["sound"]
    for arguments in (("--classes-check", "0"), ("--classes", "15")):
        unchecked = json.loads(run(*short, *arguments, "--json").output)
        assert "classes_sensitivity" not in unchecked["diagnostics"]
    named = json.loads(run(*short, "--classes-check", "4", "--json").output)
    assert named["diagnostics"]["classes_sensitivity"]["classes"] == [10, 4]
    assert named["estimate"] == default["estimate"]  # the answer stays the one at --classes


def test_it_runs_model_averaging(new_orleans: Path) -> None:
    payload = json.loads(run(str(new_orleans), "--method", "dga", "--json").output)
    assert payload["method"] == "dga" and payload.keys() >= CONTRACT_KEYS


@pytest.mark.slow
def test_all_methods_give_a_sensitivity_panel(new_orleans: Path) -> None:
    result = run(str(new_orleans), "--method", "all", "--iterations", "2000", "--json")
    panel = json.loads(result.output)
    assert isinstance(panel, list) and len(panel) == 6
    assert all(entry.keys() >= CONTRACT_KEYS for entry in panel)


def test_it_estimates_each_stratum(tmp_path: Path, new_orleans: Path) -> None:
    rows = new_orleans.read_text().splitlines()
    text = (
        rows[0] + ",port\n" + "\n".join(f"{row},{port}" for port in ("A", "B") for row in rows[1:])
    )
    payload = json.loads(run(str(write(tmp_path, text)), "--stratify", "port", "--json").output)
    assert sorted(payload["strata"]) == ["A", "B"]
    strata = payload["strata"]
    assert payload["total"]["observed"] == 2 * 185
    assert payload["total"]["estimate"] == pytest.approx(
        strata["A"]["estimate"] + strata["B"]["estimate"]
    )
    assert payload["total"]["lower"] < payload["total"]["estimate"] < payload["total"]["upper"]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("A,B,C\n1,0,0\n1,2,0\n", "row 3, column 'B'"),
        ("A,B,count\n1,0,4\n1,1,2\n", "at least 3 lists"),
        ("A,B,C,count\n1,0,0,4\n1,1,0,2\n", "column 'C'"),
    ],
)
def test_it_rejects_bad_input_with_one_line_and_exit_code_2(
    tmp_path: Path, text: str, fragment: str
) -> None:
    result = run(str(write(tmp_path, text)))
    assert result.exit_code == 2
    assert fragment in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_it_rejects_a_missing_file(tmp_path: Path) -> None:
    result = run(str(tmp_path / "absent.csv"))
    assert result.exit_code == 2
    assert "file not found" in result.output


def test_a_run_recorded_in_a_project_keeps_what_repeats_it(tmp_path: Path) -> None:
    """`--project` records the run: the input's hash, method, settings, seed and result."""
    import hashlib
    import json
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["TESTIMONIO_HOME"] = str(tmp_path / "home")
    run = [sys.executable, "-m", "testimonio"]
    subprocess.run([*run, "demo", "--skip-world"], env=env, check=True, capture_output=True)
    data = tmp_path / "lists.csv"
    data.write_text(
        "a,b,c,count\n1,0,0,30\n0,1,0,25\n0,0,1,28\n1,1,0,8\n1,0,1,9\n0,1,1,7\n1,1,1,3\n"
    )
    result = subprocess.run(
        [*run, "estimate", str(data), "--project", "example-turnbacks", "--seed", "7", "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    printed = json.loads(result.stdout)
    probe = (
        "from testimonio.web.setup import setup_django; setup_django()\n"
        "from testimonio.web.linking.models import EstimateRun\n"
        "import json; r = EstimateRun.objects.get()\n"
        "print(json.dumps([r.input_hash, r.seed, r.method, r.result['estimate'],"
        " r.settings['method'], sorted(r.package_versions)]))\n"
    )
    stored = json.loads(
        subprocess.run(
            [sys.executable, "-c", probe], env=env, check=True, capture_output=True, text=True
        ).stdout
    )
    assert stored[0] == hashlib.sha256(data.read_bytes()).hexdigest()
    assert stored[1:4] == [7, printed["method"], printed["estimate"]]
    assert stored[4] == "loglinear" and "numpy" in stored[5]


@pytest.mark.slow
def test_the_total_over_strata_leaves_out_a_method_a_stratum_could_not_run(
    tmp_path: Path,
) -> None:
    """Model averaging needs 5 lists or fewer: a stratum with 6 has none, so no total for it."""
    path = REFERENCE / "sparsemse_UKdat.csv"
    rows = path.read_text().splitlines()
    header, body = rows[0], rows[1:]
    without_last_list = [row for row in body if row.split(",")[5] == "0"]
    text = "\n".join(
        [header + ",region"]
        + [f"{row},six" for row in body]
        + [f"{row},five" for row in without_last_list]
    )
    arguments = ["--stratify", "region", "--method", "all", "--iterations", "1000", "--json"]
    result = run(str(write(tmp_path, text)), *arguments)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    methods = {name: [e["method"] for e in entries] for name, entries in payload["strata"].items()}
    assert "dga" in methods["five"] and "dga" not in methods["six"]
    assert [entry["method"] for entry in payload["total"]] == methods["six"]
