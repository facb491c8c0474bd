"""``python -m testimonio`` is the ``testimonio`` command."""

from testimonio.cli.main import main

main()
