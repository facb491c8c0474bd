"""``django-admin purge_import_drafts``: delete unfinished web imports past their 24 hours.

The imports page purges them whenever it is opened; run this from cron (or a systemd timer) so
an upload nobody came back to is deleted on time even when nobody opens the page.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from testimonio.web.imports.actions import do_purge_expired_import_drafts


class Command(BaseCommand):
    help = "Delete expired import drafts (sealed uploads) and their data keys."

    def handle(self, *args: Any, **options: Any) -> None:
        purged = do_purge_expired_import_drafts(None)
        self.stdout.write(f"Purged {purged} expired import draft(s).")
