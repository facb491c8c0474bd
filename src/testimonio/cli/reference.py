"""Write the command-line reference (docs/cli.md) from the commands' own ``--help``.

``python -m testimonio.cli.reference > docs/cli.md`` (``make docs``). A test compares the file
with this output, so the reference can never drift from what the commands say.
"""

from __future__ import annotations

from typing import Any

import click

from testimonio.cli.main import cli

# A fixed width, so the reference does not depend on the terminal it was made in.
_WIDTH: dict[str, Any] = {"terminal_width": 88, "max_content_width": 88}


def command_reference() -> str:
    """Markdown with the help text of every command and subcommand, in order."""
    lines = [
        "# Command-line reference",
        "",
        "Generated from `--help` by `make docs`; do not edit by hand.",
        "",
    ]
    root = cli.make_context("testimonio", [], resilient_parsing=True, **_WIDTH)
    lines += _section("testimonio", cli, root)
    for name in cli.list_commands(root):
        command = cli.get_command(root, name)
        if command is not None:
            lines += _walk(command, f"testimonio {name}", root)
    return "\n".join(lines) + "\n"


def _walk(command: click.Command, path: str, parent: click.Context) -> list[str]:
    context = command.make_context(
        path.split()[-1], [], parent=parent, resilient_parsing=True, **_WIDTH
    )
    lines = _section(path, command, context)
    if isinstance(command, click.Group):
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            if sub is not None:
                lines += _walk(sub, f"{path} {name}", context)
    return lines


def _section(path: str, command: click.Command, context: click.Context) -> list[str]:
    level = "#" * min(2 + path.count(" "), 4)
    return [f"{level} `{path}`", "", "```text", command.get_help(context).rstrip(), "```", ""]


if __name__ == "__main__":
    click.echo(command_reference(), nl=False)
