"""``testimonio users`` and ``testimonio members``, run as an administrator runs them."""

from __future__ import annotations

import re

import pytest

from tests.cli.conftest import Runner

CODE = re.compile(r"[a-z2-7]{5}(?:-[a-z2-7]{5}){3}")


@pytest.fixture
def instance(run_testimonio: Runner) -> Runner:
    """An instance with the example project (slug example-turnbacks)."""
    run_testimonio("demo", "--skip-world", check=True)
    return run_testimonio


def one_line_error(result: object, text: str) -> None:
    assert result.returncode == 2, result.stderr  # type: ignore[attr-defined]
    stderr = result.stderr.strip()  # type: ignore[attr-defined]
    assert len(stderr.splitlines()) == 1 and text in stderr and "Traceback" not in stderr


def test_init_gives_the_first_admin_an_enrolment_code_not_just_a_password(
    run_testimonio: Runner,
) -> None:
    result = run_testimonio("init", check=True)
    assert re.search(r"password: \S{16,}", result.stdout)
    assert CODE.search(result.stdout)
    listing = run_testimonio("users", "list", check=True).stdout
    assert re.search(r"^admin\s+active superuser no 2FA", listing, re.MULTILINE)


def test_users_add_invite_list_and_remove(run_testimonio: Runner) -> None:
    run_testimonio("init", check=True)
    added = run_testimonio("users", "add", "attorney", check=True)
    assert re.search(r"Created attorney\s+password: \S{16,}", added.stdout)
    invited = run_testimonio("users", "invite", "attorney", "--hours", "24", check=True)
    assert CODE.search(invited.stdout) and "24 hours" in invited.stdout
    assert CODE.search(run_testimonio("users", "invite", "--reset", "attorney", check=True).stdout)
    assert "attorney" in run_testimonio("users", "list", check=True).stdout
    run_testimonio("users", "remove", "attorney", check=True)
    listing = run_testimonio("users", "list", check=True).stdout
    assert re.search(r"^attorney\s+closed", listing, re.MULTILINE)
    one_line_error(run_testimonio("users", "invite", "attorney"), "closed")
    one_line_error(run_testimonio("users", "add", "admin"), "already exists")


def test_an_unknown_user_exits_2_with_one_line(run_testimonio: Runner) -> None:
    run_testimonio("init", check=True)
    for command in ("invite", "remove", "unlock"):
        one_line_error(run_testimonio("users", command, "nobody"), "there is no user 'nobody'")


def test_users_unlock_clears_a_users_lockout(run_testimonio: Runner) -> None:
    run_testimonio("init", check=True)
    result = run_testimonio("users", "unlock", "admin", "--address", "192.0.2.1", check=True)
    assert "Unlocked admin (0 failed-attempt records cleared)" in result.stdout


def test_members_add_list_and_remove(instance: Runner) -> None:
    instance("users", "add", "analyst", check=True)
    project = ("--project", "example-turnbacks")
    added = instance("members", "add", *project, "--role", "analyst", "analyst", check=True)
    assert "analyst is analyst in example-turnbacks" in added.stdout
    listing = instance("members", "list", *project, check=True).stdout
    assert re.search(r"^analyst\s+analyst$", listing, re.MULTILINE)
    assert "example-turnbacks:analyst" in instance("users", "list", check=True).stdout
    instance("members", "remove", *project, "analyst", check=True)
    assert "analyst" not in instance("members", "list", *project, check=True).stdout
    one_line_error(instance("members", "remove", *project, "analyst"), "has no role")


def test_members_with_an_unknown_project_role_or_user_exit_2(instance: Runner) -> None:
    instance("users", "add", "analyst", check=True)
    one_line_error(
        instance("members", "add", "--project", "nope", "--role", "analyst", "analyst"),
        "there is no project 'nope'",
    )
    one_line_error(
        instance("members", "add", "--project", "example-turnbacks", "--role", "boss", "analyst"),
        "unknown role 'boss'",
    )
    one_line_error(
        instance("members", "add", "--project", "example-turnbacks", "--role", "analyst", "x"),
        "there is no user 'x'",
    )
