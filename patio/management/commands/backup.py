"""`manage.py backup` (`make backup`): a pg_dump file, the media folder and a manifest of them.

    manage.py backup                       into $BACKUP_DIR (default var/backups)/patio-<UTC time>/
    manage.py backup --output-dir FOLDER   into FOLDER, which must not exist yet

See patio/backup.py for what the manifest holds, and docs/operations.md for a nightly schedule.
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
            "Back up the PostgreSQL database (pg_dump, custom format) and the media folder, "
            "with a manifest of every table's row count and the fund's balances."
        )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--output-dir",
            type=Path,
            metavar="FOLDER",
            help=_("Where to write the backup (a new folder); default $BACKUP_DIR/patio-<time>."),
        )

    def handle(self, *args: Any, output_dir: Path | None = None, **options: Any) -> None:
        verbosity = options["verbosity"]

        def say(message: str) -> None:
            if verbosity >= 1:
                self.stdout.write(message)

        try:
            backup.backup_create(folder=output_dir or backup.default_folder(), say=say)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
