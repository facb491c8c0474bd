"""Entry point of the ``testimonio`` command.

Each command group lives in its own module and is registered in :data:`COMMANDS`, loaded lazily so
that ``testimonio --help`` stays fast and a command's heavy imports (Django, Splink, numba) are
paid only by that command. Errors a user can cause (:class:`~testimonio.errors.TestimonioError`)
become one line on stderr and exit code 2, like click's own usage errors.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from testimonio import __version__
from testimonio.errors import TestimonioError

#: command name -> "module:attribute" of its click command or group.
COMMANDS: dict[str, str] = {
    "init": "testimonio.cli.instance:init",
    "serve": "testimonio.cli.instance:serve",
    "demo": "testimonio.cli.demo:demo",
    "vocab": "testimonio.cli.vocab:vocab",
    "audit": "testimonio.cli.audit:audit",
    "keys": "testimonio.cli.keys:keys",
    "people": "testimonio.cli.people:people",
    "custody": "testimonio.cli.custody:custody",
    "declarations": "testimonio.cli.declarations:declarations",
    "import": "testimonio.cli.imports:import_file",
    "intake": "testimonio.cli.intake:intake",
    "estimate": "testimonio.cli.estimate:estimate",
    "simulate": "testimonio.cli.simulate:simulate",
    "link": "testimonio.cli.link:link",
    "export": "testimonio.cli.export:export",
    "report": "testimonio.cli.report:report",
    "snapshot": "testimonio.cli.snapshot:snapshot",
    "analyze": "testimonio.cli.analyze:analyze",
    "users": "testimonio.cli.users:users",
    "members": "testimonio.cli.users:members",
    "backup": "testimonio.cli.backup:backup",
    "restore": "testimonio.cli.backup:restore",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when used (or listed by ``--help``)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TestimonioError as error:
            raise UserFacingError(str(error)) from None
        except Exception as error:
            fault = _storage_fault(error)
            if fault is None:
                raise
            raise UserFacingError(str(fault)) from None

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Click's standalone mode, except that a usage error is one line, not three."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as error:
            where = f" (see '{error.ctx.command_path} --help')" if error.ctx else ""
            click.echo(f"Error: {error.format_message()}{where}", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


def _storage_fault(error: Exception) -> TestimonioError | None:
    """A full disk, a read-only database or a lost connection as one line (exit 2), not a
    traceback; only commands that loaded Django can meet one, so nothing is imported before."""
    if "django" not in sys.modules:
        return None
    from testimonio.web.db.faults import storage_fault

    return storage_fault(error)


class UserFacingError(click.ClickException):
    """A :class:`TestimonioError` shown as one line, with exit code 2 (bad input)."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="testimonio")
def cli() -> None:
    """Testimonio: from scattered testimonies to court-ready evidence, safely.

    Collect accounts, protect the people in them, code them with a controlled vocabulary,
    link the same person across lists, estimate how many people were affected in total,
    and publish evidence with the provenance of every number.

    Settings come from the environment: TESTIMONIO_HOME (instance folder, default
    ~/.testimonio) and DATABASE_URL (default: a SQLite file in that folder). Run
    `testimonio COMMAND --help` for each command.
    """


def main(argv: list[str] | None = None) -> None:
    """Run the command line (``argv`` defaults to ``sys.argv[1:]``)."""
    cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="testimonio")
