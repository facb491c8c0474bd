"""The docs describe what the code does: every command and every setting is documented."""

from __future__ import annotations

from pathlib import Path

from testimonio.cli.main import COMMANDS
from testimonio.cli.reference import command_reference
from testimonio.config import SETTINGS

DOCS = Path(__file__).resolve().parents[1] / "docs"
README = DOCS.parent / "README.md"


def test_the_cli_reference_is_generated_from_the_current_help() -> None:
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == command_reference(), (
        "docs/cli.md is out of date: run `make docs`"
    )


def test_every_command_is_in_the_cli_reference_and_the_readme() -> None:
    reference = (DOCS / "cli.md").read_text(encoding="utf-8")
    readme = README.read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"`testimonio {command}`" in reference, command
        assert f"testimonio {command}" in readme, command


def test_every_setting_is_documented() -> None:
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.variable}`" in text, setting.variable


def test_the_readme_quick_start_is_the_two_commands() -> None:
    readme = README.read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
