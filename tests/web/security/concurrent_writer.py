"""Run as a script: create COUNT persons in project SLUG, one action each (concurrency tests)."""

from __future__ import annotations

import sys

from testimonio.web.setup import setup_django


def main(slug: str, count: int) -> None:
    setup_django()
    from testimonio.web.cases.actions import do_create_person
    from testimonio.web.cases.models import Project

    project = Project.objects.get(slug=slug)
    for _ in range(count):
        do_create_person(project, None)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
