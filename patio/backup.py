"""Backups that can be proved: a `pg_dump` file, the media folder and a manifest of what they hold.

A backup is a folder of three files:

    database.dump   pg_dump's custom format, restored with pg_restore
    media.tar.gz    the uploads (MEDIA_ROOT)
    manifest.json   when, from which server, the checksums, the row count of every table and
                    the figures apps register (the fund's balances)

The manifest is counted inside the very snapshot pg_dump reads: one REPEATABLE READ transaction
exports its snapshot, counts every table and reads the figures, and pg_dump is given that
snapshot (`--snapshot`) while the transaction stays open. So the manifest says exactly what the
dump holds, even while the site keeps writing. A restore reads the manifest back, restores in
one transaction (`pg_restore --single-transaction`: all or nothing), then counts again and
compares: a restore that does not give back every row and every balance fails loudly.

Only PostgreSQL is supported. The embedded demo's SQLite file is copied as a file (see
docs/operations.md).

Apps above patio add figures with `register_figure(name, figure)`, where `figure(using)` reads
the database alias `using` and returns something JSON can hold (strings for money).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
DUMP = "database.dump"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"

Figure = Callable[[str], Any]
_FIGURES: dict[str, Figure] = {}

Say = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def register_figure(name: str, figure: Figure) -> Figure:
    """Add a figure to every manifest (again: replaced)."""
    _FIGURES[name] = figure
    return figure


@dataclass(frozen=True)
class Snapshot:
    tables: dict[str, int]
    figures: dict[str, Any]

    def differences(self, other: Snapshot) -> list[str]:
        """What `other` (the restored database) lacks or has more of, one line each."""
        lines = []
        for table in sorted(self.tables.keys() | other.tables.keys()):
            want, got = self.tables.get(table), other.tables.get(table)
            if want != got:
                lines.append(
                    _("table %(table)s: %(want)s rows in the backup, %(got)s restored")
                    % {"table": table, "want": want, "got": got}
                )
        for name in sorted(self.figures.keys() | other.figures.keys()):
            want, got = self.figures.get(name), other.figures.get(name)
            if want != got:
                lines.append(
                    _("%(name)s: %(want)s in the backup, %(got)s restored")
                    % {"name": name, "want": json.dumps(want), "got": json.dumps(got)}
                )
        return lines


def snapshot(*, using: str = DEFAULT_DB_ALIAS) -> Snapshot:
    """The row count of every table of the database `using`, and every registered figure."""
    connection = connections[using]
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.table_names(cursor))
        tables = {}
        for name in names:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608 - a table name from the catalogue, quoted
            tables[name] = int(cursor.fetchone()[0])
    return Snapshot(tables, {name: figure(using) for name, figure in sorted(_FIGURES.items())})


# The PostgreSQL tools ---------------------------------------------------------------------------
def _require_postgres(using: str) -> dict[str, Any]:
    db = connections[using].settings_dict
    if connections[using].vendor != "postgresql":
        raise BackupError(
            _(
                "Backups and restores need PostgreSQL (DATABASE_URL=postgres://…). The embedded "
                "demo keeps everything in %(folder)s: stop it and copy that folder instead."
            )
            % {"folder": settings.VAR_DIR}
        )
    return db


def tool(name: str) -> str:
    """The PostgreSQL program `name` (pg_dump, pg_restore), from PATH."""
    found = shutil.which(name)
    if not found:
        raise BackupError(
            _("%(tool)s was not found: install PostgreSQL's client programs (postgresql-client).")
            % {"tool": name}
        )
    return found


def tool_major(path: str) -> int:
    # S603: a PostgreSQL program found on PATH, with arguments of ours, never a shell.
    output = subprocess.run(  # noqa: S603
        [path, "--version"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    if not match:
        raise BackupError(_("Could not read the version of %(tool)s.") % {"tool": path})
    return int(match.group(1))


def _environment(db: dict[str, Any]) -> dict[str, str]:
    """libpq's variables for the database: the password never appears on a command line."""
    env = {**os.environ, "PGDATABASE": str(db["NAME"])}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[variable] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    options = db.get("OPTIONS", {})
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return env


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode:
        raise BackupError(
            _("%(tool)s failed: %(error)s")
            % {"tool": Path(command[0]).name, "error": result.stderr.strip()}
        )


# Backup -------------------------------------------------------------------------------------
def backup_create(*, folder: Path, say: Say, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Write a backup into `folder` (made; it must not exist yet) and return its manifest."""
    db = _require_postgres(using)
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError(_("A backup takes a snapshot of its own: run it outside a transaction."))
    pg_dump = tool("pg_dump")
    connection.ensure_connection()
    server_major = connection.pg_version // 10000  # type: ignore[attr-defined]
    dump_major = tool_major(pg_dump)
    if dump_major < server_major:
        raise BackupError(
            _(
                "pg_dump %(tool)s cannot dump PostgreSQL %(server)s: install a client of version "
                "%(server)s or later."
            )
            % {"tool": dump_major, "server": server_major}
        )
    try:
        folder.mkdir(parents=True)
    except FileExistsError:
        raise BackupError(_("%(folder)s already exists.") % {"folder": folder}) from None

    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = cursor.fetchone()[0]
        say(_("Counting the rows of every table…"))
        counted = snapshot(using=using)
        say(
            _("%(tables)d tables, %(rows)d rows. Dumping the database with pg_dump…")
            % {"tables": len(counted.tables), "rows": sum(counted.tables.values())}
        )
        _run(
            [
                pg_dump,
                "--format=custom",
                f"--snapshot={snapshot_id}",
                "--no-password",
                f"--file={folder / DUMP}",
            ],
            _environment(db),
        )

    media_root = Path(settings.MEDIA_ROOT)
    files = sorted(path for path in media_root.rglob("*") if path.is_file())
    say(_("Archiving the media folder (%(count)d files)…") % {"count": len(files)})
    with tarfile.open(folder / MEDIA, "w:gz") as archive:
        for path in files:
            archive.add(path, arcname=str(path.relative_to(media_root)))

    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "postgresql": {"server": server_major, "pg_dump": dump_major},
        "database": {"file": DUMP, "sha256": _sha256(folder / DUMP)},
        "media": {"file": MEDIA, "sha256": _sha256(folder / MEDIA), "files": len(files)},
        "tables": counted.tables,
        "figures": counted.figures,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    say(_("Backup written to %(folder)s.") % {"folder": folder})
    return manifest


def default_folder() -> Path:
    root = Path(os.environ.get("BACKUP_DIR") or settings.VAR_DIR / "backups")
    return root / f"patio-{datetime.datetime.now(tz=datetime.UTC):%Y%m%dT%H%M%SZ}"


# Restore ------------------------------------------------------------------------------------
def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        manifest: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError:
        raise BackupError(
            _("%(path)s is missing: is this a backup folder?") % {"path": path}
        ) from None
    except ValueError:
        raise BackupError(_("%(path)s is not valid JSON.") % {"path": path}) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(_("This backup's format is not one this version can restore."))
    for part in ("database", "media"):
        file = folder / manifest[part]["file"]
        if not file.exists() or _sha256(file) != manifest[part]["sha256"]:
            raise BackupError(
                _("%(file)s is missing or does not match its checksum.") % {"file": file}
            )
    return manifest


def backup_restore(
    *, folder: Path, say: Say, force: bool = False, using: str = DEFAULT_DB_ALIAS
) -> list[str]:
    """Restore the backup in `folder` into the database `using` and MEDIA_ROOT, then compare
    them with its manifest. Returns the differences (none when all is back)."""
    db = _require_postgres(using)
    manifest = read_manifest(folder)
    pg_restore = tool("pg_restore")
    if tool_major(pg_restore) < manifest["postgresql"]["pg_dump"]:
        raise BackupError(
            _("pg_restore must be of version %(version)s or later to read this dump.")
            % {"version": manifest["postgresql"]["pg_dump"]}
        )
    connection = connections[using]
    with connection.cursor() as cursor:
        existing = connection.introspection.table_names(cursor)
    media_root = Path(settings.MEDIA_ROOT)
    media_files = [path for path in media_root.rglob("*") if path.is_file()]
    if not force and (existing or media_files):
        raise BackupError(
            _(
                "The database %(database)s has %(tables)d tables and the media folder "
                "%(files)d files: a restore would overwrite them. Restore into an empty "
                "database, or say FORCE=1 (--force) to replace what is there."
            )
            % {"database": db["NAME"], "tables": len(existing), "files": len(media_files)}
        )
    connection.close()

    say(_("Restoring the database with pg_restore (one transaction)…"))
    command = [
        pg_restore,
        "--no-owner",
        "--no-acl",
        "--exit-on-error",
        "--single-transaction",
        "--no-password",
        f"--dbname={db['NAME']}",
    ]
    if force:
        command += ["--clean", "--if-exists"]
    _run([*command, str(folder / DUMP)], _environment(db))

    say(_("Restoring the media folder (%(count)d files)…") % {"count": manifest["media"]["files"]})
    if force:
        for path in sorted(media_root.glob("*")):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA, "r:gz") as archive:
        archive.extractall(media_root, filter="data")

    say(_("Comparing every table and figure with the manifest…"))
    expected = Snapshot(manifest["tables"], manifest["figures"])
    return expected.differences(snapshot(using=using))
