"""Settings come from the environment and a bad value stops start-up with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from testimonio.config import load_config, read_secret
from testimonio.errors import ConfigurationError


def test_it_defaults_to_a_sqlite_file_in_its_own_folder_apart_from_keys_and_ledger(
    tmp_path: Path,
) -> None:
    config = load_config({"TESTIMONIO_HOME": str(tmp_path)})
    home = tmp_path.resolve()
    assert config.home == home
    assert config.database_url == f"sqlite:///{home / 'db' / 'testimonio.sqlite3'}"
    assert config.sqlite_file == home / "db" / "testimonio.sqlite3"
    assert config.erasure_ledger_file == home / "ledger" / "erasures.ledger"
    assert config.master_key_file.parent == home / "keys"
    assert config.is_sqlite and not config.debug and not config.secure


def test_an_instance_from_before_the_layout_keeps_its_database_and_ledger_where_they_are(
    tmp_path: Path,
) -> None:
    (tmp_path / "testimonio.sqlite3").write_bytes(b"")
    (tmp_path / "erasures.ledger").write_text("")
    config = load_config({"TESTIMONIO_HOME": str(tmp_path)})
    assert config.sqlite_file == tmp_path.resolve() / "testimonio.sqlite3"
    assert config.erasure_ledger_file == tmp_path.resolve() / "erasures.ledger"


def test_it_reads_a_postgres_database_url(tmp_path: Path) -> None:
    url = "postgres://postgres@127.0.0.1:5432/test"
    config = load_config({"TESTIMONIO_HOME": str(tmp_path), "DATABASE_URL": url})
    assert config.database_url == url and not config.is_sqlite


def test_it_refuses_an_unsupported_database(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="DATABASE_URL has scheme 'mysql'"):
        load_config({"TESTIMONIO_HOME": str(tmp_path), "DATABASE_URL": "mysql://x/y"})


def test_it_refuses_a_yes_no_setting_it_cannot_read(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="TESTIMONIO_DEBUG='maybe'"):
        load_config({"TESTIMONIO_HOME": str(tmp_path), "TESTIMONIO_DEBUG": "maybe"})


def test_it_refuses_a_home_that_is_a_file(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.write_text("not a folder")
    with pytest.raises(ConfigurationError, match="is a file"):
        load_config({"TESTIMONIO_HOME": str(home)})


def test_it_splits_allowed_hosts(tmp_path: Path) -> None:
    config = load_config(
        {"TESTIMONIO_HOME": str(tmp_path), "TESTIMONIO_ALLOWED_HOSTS": "a.org, b.org"}
    )
    assert config.allowed_hosts == ("a.org", "b.org")


def test_a_secret_comes_from_the_environment_before_any_file(tmp_path: Path) -> None:
    default = tmp_path / "secret"
    default.write_text("from-file\n")
    assert read_secret("S", default, {"S": "from-env"}) == "from-env"
    assert read_secret("S", default, {}) == "from-file"


def test_a_secret_file_named_but_missing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="S_FILE points to"):
        read_secret("S", tmp_path / "default", {"S_FILE": str(tmp_path / "missing")})


def test_a_missing_secret_with_no_file_is_left_to_the_caller(tmp_path: Path) -> None:
    assert read_secret("S", tmp_path / "nothing", {}) is None


def _instance_with_a_shared_key(home: Path) -> Path:
    (home / "keys").mkdir(parents=True)
    key = home / "keys" / "master.key"
    key.write_text("not read here\n")
    key.chmod(0o640)
    return key


def test_the_web_app_refuses_to_start_when_a_key_file_is_readable_by_its_group(
    tmp_path: Path,
) -> None:
    from testimonio.config import refuse_open_permissions

    key = _instance_with_a_shared_key(tmp_path)
    env = {"TESTIMONIO_HOME": str(tmp_path)}
    with pytest.raises(ConfigurationError, match=r"master\.key \(0o640\) can be read by group"):
        refuse_open_permissions(load_config(env), env)
    key.chmod(0o600)
    refuse_open_permissions(load_config(env), env)  # private again: starts


def test_allowing_open_permissions_turns_the_refusal_into_a_warning(tmp_path: Path) -> None:
    from testimonio.config import refuse_open_permissions

    _instance_with_a_shared_key(tmp_path)
    env = {"TESTIMONIO_HOME": str(tmp_path), "TESTIMONIO_ALLOW_OPEN_PERMISSIONS": "true"}
    with pytest.warns(UserWarning, match="can be read by group or others"):
        refuse_open_permissions(load_config(env), env)
