"""`manage.py restore FOLDER` (`make restore BACKUP=FOLDER`): a backup back into DATABASE_URL.

The database must exist and be empty (create it with `createdb`), and the media folder too,
unless --force (`FORCE=1`) says to replace what is there. After restoring, every table's row
count and every figure (the fund's balances) is compared with the manifest: any difference is
listed and the command fails.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from patio import backup


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  # BaseCommand has a plain attribute
        return _(
            "Restore a backup made by `manage.py backup` into the configured database and media "
            "folder, then check every row count and fund balance against its manifest."
        )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("folder", type=Path, help=_("The backup folder."))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Replace the tables and media files already there."),
        )

    def handle(self, *args: Any, folder: Path, force: bool = False, **options: Any) -> None:
        verbosity = options["verbosity"]

        def say(message: str) -> None:
            if verbosity >= 1:
                self.stdout.write(message)

        try:
            differences = backup.backup_restore(folder=folder, say=say, force=force)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if differences:
            raise CommandError(
                _("The restored data differs from the backup's manifest:")
                + "\n  "
                + "\n  ".join(differences)
            )
        say(self.style.SUCCESS(_("Restored: every table and figure matches the manifest.")))
