"""Backups that restore: the drill seeds the demo, backs it up, restores it into a fresh database
on the test PostgreSQL server with `manage.py restore` (what `make restore` runs), and compares
every table's row count and every fund balance with the manifest."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from fund.models import CurrencyBalance
from patio import backup
from patio.models import Heartbeat

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def database_url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{name}"


@pytest.fixture
def fresh_database():
    """An empty database of its own on the test server, dropped afterwards."""
    name = f"patio_drill_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    try:
        yield name
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


COUNT = (
    "import json; from patio import backup; s = backup.snapshot(); print(json.dumps(s.__dict__))"
)


def counted(name: str) -> dict:
    """The row counts and figures of the database `name`, read by a process of its own."""
    result = manage("shell", "-c", COUNT, DATABASE_URL=database_url(name))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def manage(*args: str, **environment: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "logos").mkdir(parents=True)
    (settings.MEDIA_ROOT / "logos" / "camplight.png").write_bytes(b"\x89PNG logo bytes")
    return settings.MEDIA_ROOT


def test_restore_drill_gives_back_every_row_and_every_fund_balance(media, tmp_path, fresh_database):
    call_command("seed_demo", stdout=io.StringIO())
    folder = tmp_path / "backup"
    out = io.StringIO()

    call_command("backup", output_dir=folder, stdout=out)

    assert "Dumping the database with pg_dump" in out.getvalue()
    manifest = json.loads((folder / "manifest.json").read_text())
    # The manifest says what the seeded database holds.
    assert manifest["tables"] == backup.snapshot().tables
    assert manifest["tables"]["members_person"] > 1000
    assert manifest["tables"]["fund_ledgerentry"] > 0
    balances = manifest["figures"]["fund_balances"]
    assert balances["ledger"] and balances["ledger"] == balances["balance_rows"]
    assert balances["ledger"] == {
        row.currency: str(row.balance) for row in CurrencyBalance.objects.all()
    }
    assert manifest["media"]["files"] == 1

    restored_media = tmp_path / "restored-media"
    result = manage(
        "restore",
        str(folder),
        DATABASE_URL=database_url(fresh_database),
        MEDIA_ROOT=str(restored_media),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "every table and figure matches the manifest" in result.stdout
    # Counted again here, independently of the command's own check.
    restored = counted(fresh_database)
    assert restored["tables"] == manifest["tables"]
    assert restored["figures"] == manifest["figures"]
    assert (restored_media / "logos" / "camplight.png").read_bytes() == b"\x89PNG logo bytes"


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(media, tmp_path):
    folder = tmp_path / "backup"
    call_command("backup", output_dir=folder, stdout=io.StringIO())
    Heartbeat.objects.create(name="written after the backup", beat_at=timezone.now())
    (media / "written-after-the-backup.txt").write_text("later")

    with pytest.raises(CommandError, match=r"FORCE=1"):
        call_command("restore", folder, stdout=io.StringIO())
    assert Heartbeat.objects.filter(name="written after the backup").exists()

    out = io.StringIO()
    call_command("restore", folder, force=True, stdout=out)
    assert "every table and figure matches the manifest" in out.getvalue()
    # Replaced by what the backup held, not merged with it.
    assert not Heartbeat.objects.filter(name="written after the backup").exists()
    assert sorted(path.name for path in media.rglob("*") if path.is_file()) == ["camplight.png"]


def test_a_backup_whose_dump_was_altered_is_not_restored(media, tmp_path):
    folder = tmp_path / "backup"
    call_command("backup", output_dir=folder, stdout=io.StringIO())
    with (folder / "database.dump").open("ab") as dump:
        dump.write(b"tampered")

    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", folder, force=True, stdout=io.StringIO())


def test_a_backup_never_overwrites_an_earlier_one(media, tmp_path):
    folder = tmp_path / "backup"
    folder.mkdir()
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", output_dir=folder, stdout=io.StringIO())


def test_pg_dump_and_pg_restore_can_read_the_test_server():
    connection.ensure_connection()
    server = connection.pg_version // 10000
    assert backup.tool_major(backup.tool("pg_dump")) >= server
    assert backup.tool_major(backup.tool("pg_restore")) >= server
