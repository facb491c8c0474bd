"""The ``testimonio`` command: one thin module per command group, calling the core."""
