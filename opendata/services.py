"""Building, publishing and pruning the nightly open-data dumps: the work the task and the
`opendata_dump` command run. Nothing here queues a task (opendata.tasks imports this module).

A night's dump is one `Dump` row, claimed with a conditional UPDATE (waiting, failed, or
running but abandoned by a worker that died): two workers, or a worker and the command, never
build the same night twice. The files are written in a scratch folder, then copied into the
"opendata" storage under the dump's version and the file's own checksum (on a filesystem, to a
temporary name renamed into place), and only then is the row marked ready: nothing half-written
is ever listed or served, and a build that lost its claim (a worker taken for dead that woke
up) cannot overwrite the files of the build that won: its own go to other names, and it
deletes them. The last `OPEN_DATA_KEEP` ready dumps are kept; older rows go with their files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone, translation

from opendata import dcat, graph
from opendata.dcat import FileFacts
from opendata.models import Dump
from opendata.readme import readme
from opendata.selectors import published
from opendata.tables import TABLES
from patio.dates import network_today
from patio.exports import csv_writer
from patio.linked_data import absolute

# Longer than the task's hard time limit (patio.celery, "dumps"): a claim this old belongs to
# a worker that was killed, and may be taken again.
ABANDONED_AFTER = dt.timedelta(hours=1)
STORAGE = "opendata"
README_NAME = "README.md"
INNER_DCAT_NAME = "dcat.jsonld"
# The kinds of file a dump publishes: (kind, suffix after the stem, media type).
FILES = (
    ("zip", ".zip", "application/zip"),
    ("graph", ".jsonld", "application/ld+json"),
    ("dcat", "-dcat.jsonld", "application/ld+json"),
)
MEDIA_TYPES = {kind: media_type for kind, _suffix, media_type in FILES}


class Progress(Protocol):
    """What a build reports as it goes: a stage (a CSV file, the graph) and each row of it.
    `count` is only called by reporters that show a total."""

    def stage(self, name: str, count: Callable[[], int]) -> None: ...

    def advance(self) -> None: ...


class _Silent:
    def stage(self, name: str, count: Callable[[], int]) -> None:
        pass

    def advance(self) -> None:
        pass


def storage() -> Storage:
    return storages[STORAGE]


def file_name(dump: Dump, kind: str) -> str:
    """The name a file of the dump is downloaded as: `patio-open-data-2026-12-01.zip`."""
    suffix = next(suffix for key, suffix, _media in FILES if key == kind)
    return f"{dump.stem}{suffix}"


def download_url(dump: Dump, kind: str) -> str:
    return reverse("opendata:download", args=[dump.version, file_name(dump, kind)])


def stored_name(dump: Dump, kind: str, sha256: str) -> str:
    """Where a file lives in the storage: `3/1f2e…/patio-open-data-2026-12-01.zip`. The
    checksum in the path makes a stored file's name its content's: a second build of the same
    version (another claim, another database) writes beside it, never over it."""
    return f"{dump.version}/{sha256[:16]}/{file_name(dump, kind)}"


# The claim --------------------------------------------------------------------------------------
def _dump_of(day: dt.date) -> Dump:
    """The night's row, made with the next version number if it is not there yet. Two
    makers racing for the same night (or the same number) meet the unique constraints: the
    loser reads the winner's row."""
    for _attempt in range(3):
        existing = Dump.objects.filter(day=day).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                version = (Dump.objects.aggregate(last=Max("version"))["last"] or 0) + 1
                return Dump.objects.create(day=day, version=version)
        except IntegrityError:
            continue
    return Dump.objects.get(day=day)


def dump_claim(*, day: dt.date, now: dt.datetime | None = None) -> Dump | None:
    """Take the night's dump for building, or None when it is built, being built, or taken by
    someone else just now. One conditional UPDATE: of two claims, one wins."""
    # Whole seconds: the instant is written into the files and the page (`<time datetime>`).
    now = (now or timezone.now()).replace(microsecond=0)
    dump = _dump_of(day)
    claimable = Q(status__in=[Dump.Status.PENDING, Dump.Status.FAILED]) | Q(
        status=Dump.Status.RUNNING, created_at__lt=now - ABANDONED_AFTER
    )
    taken = Dump.objects.filter(claimable, pk=dump.pk).update(
        status=Dump.Status.RUNNING, created_at=now
    )
    if taken != 1:
        return None
    dump.refresh_from_db()
    return dump


def _fail(dump: Dump) -> None:
    Dump.objects.filter(pk=dump.pk, status=Dump.Status.RUNNING, created_at=dump.created_at).update(
        status=Dump.Status.FAILED
    )


# Writing ----------------------------------------------------------------------------------------
def _digest(path: Path) -> tuple[int, str]:
    sha = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            sha.update(block)
    return path.stat().st_size, sha.hexdigest()


@contextmanager
def _snapshot() -> Iterator[None]:
    """Every file reads the network as it stood at one instant: on PostgreSQL, one
    REPEATABLE READ, READ ONLY transaction (as backups do), so people.csv and
    person_skills.csv agree even while people edit their profiles. Inside a transaction
    already (the demo's seeding, tests), its snapshot is the one read."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _write_csv(folder: Path, progress: Progress) -> tuple[dict[str, int], list[FileFacts]]:
    counts: dict[str, int] = {}
    facts = []
    for table in TABLES:
        progress.stage(table.file_name, table.count)
        writer = csv_writer()
        path = folder / table.file_name
        rows = 0
        with path.open("w", encoding="utf-8", newline="") as out:
            out.write(writer.writerow(table.header))
            for row in table.rows():
                out.write(writer.writerow(table.cells(row)))
                rows += 1
                progress.advance()
        counts[table.name] = rows
        size, sha256 = _digest(path)
        facts.append(
            FileFacts(
                title=table.title,
                file_name=table.file_name,
                media_type="text/csv",
                file_type="CSV",
                size=size,
                sha256=sha256,
                url="",  # the ZIP's, filled in below
                inside_zip=True,
                conforms_to=dcat.CSV_STANDARD,
                description=table.description,
            )
        )
    return counts, facts


def _write_graph(path: Path, progress: Progress) -> None:
    progress.stage(path.name, lambda: sum(part.count() for part in graph.PARTS))
    with path.open("w", encoding="utf-8") as out:
        graph.write(out, advance=lambda part: progress.advance())


def _write_json(path: Path, document: dict[str, object]) -> None:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _zip(path: Path, members: list[Path], at: dt.datetime) -> None:
    """The ZIP of the CSV files, README and DCAT description, each dated as the data is."""
    stamp = at.astimezone(dt.UTC).timetuple()[:6]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member in members:
            info = zipfile.ZipInfo(member.name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with member.open("rb") as source, archive.open(info, "w") as target:
                for block in iter(lambda: source.read(1 << 20), b""):
                    target.write(block)


def _facts(dump: Dump, kind: str, path: Path, title: str) -> FileFacts:
    size, sha256 = _digest(path)
    media_type = MEDIA_TYPES[kind]
    return FileFacts(
        title=title,
        file_name=path.name,
        media_type=media_type,
        file_type={"zip": "ZIP", "graph": "JSON_LD", "dcat": "JSON_LD"}[kind],
        size=size,
        sha256=sha256,
        url=absolute(download_url(dump, kind)),
        conforms_to=dcat.SCHEMA_ORG if kind == "graph" else None,
    )


def _previous_version(dump: Dump) -> int | None:
    previous = published().filter(version__lt=dump.version).first()
    return previous.version if previous else None


def _write(dump: Dump, folder: Path, progress: Progress) -> dict[str, object]:
    """Every file of the dump in `folder`; returns the row's new fields."""
    with _snapshot():
        counts, csv_facts = _write_csv(folder, progress)
        graph_path = folder / file_name(dump, "graph")
        _write_graph(graph_path, progress)
    previous = _previous_version(dump)
    zip_url = absolute(download_url(dump, "zip"))
    graph_facts = _facts(dump, "graph", graph_path, "The same records as a JSON-LD graph")
    inside = [FileFacts(**{**facts.__dict__, "url": zip_url}) for facts in csv_facts]
    inner_dcat = folder / INNER_DCAT_NAME
    _write_json(
        inner_dcat,
        dcat.description(dump, [*inside, graph_facts], previous_version=previous),
    )
    (folder / README_NAME).write_text(
        readme(
            dump,
            counts,
            graph_name=graph_path.name,
            graph_url=graph_facts.url,
        ),
        encoding="utf-8",
    )
    zip_path = folder / file_name(dump, "zip")
    members = [folder / README_NAME, inner_dcat, *(folder / f.file_name for f in csv_facts)]
    _zip(zip_path, members, dump.created_at)
    zip_facts = _facts(
        dump, "zip", zip_path, "The CSV files, their README and DCAT description, zipped"
    )
    dcat_path = folder / file_name(dump, "dcat")
    _write_json(
        dcat_path,
        dcat.description(dump, [zip_facts, graph_facts], previous_version=previous),
    )
    fields: dict[str, object] = {"counts": counts}
    for kind, path in (("zip", zip_path), ("graph", graph_path), ("dcat", dcat_path)):
        size, sha256 = _digest(path)
        fields[f"{kind}_size"], fields[f"{kind}_sha256"] = size, sha256
        fields[f"{kind}_name"] = _store(stored_name(dump, kind, sha256), path)
    return fields


def _store(name: str, path: Path) -> str:
    """Put one file into the storage under `name`, whole or not at all. A file left there
    by a failed attempt (never served: its dump was not ready) is replaced."""
    target = storage()
    if target.exists(name):
        target.delete(name)
    with path.open("rb") as source:
        if isinstance(target, FileSystemStorage):
            partial = target.save(f"{name}.partial", File(source))
            os.replace(target.path(partial), target.path(name))
            return name
        return target.save(name, File(source))


@transaction.atomic
def _publish(dump: Dump, fields: dict[str, object]) -> bool:
    """Mark the dump ready, if this build still holds its claim."""
    return (
        Dump.objects.filter(
            pk=dump.pk, status=Dump.Status.RUNNING, created_at=dump.created_at
        ).update(status=Dump.Status.READY, ready_at=timezone.now(), **fields)
        == 1
    )


def dump_build(*, day: dt.date | None = None, progress: Progress | None = None) -> Dump | None:
    """Build and publish the dump of `day` (the network's today by default), then prune the
    old ones. None when that night's dump is built or being built already."""
    dump = dump_claim(day=day or network_today())
    if dump is None:
        return None
    try:
        # The data document speaks English (names of skills, labels in the graph), whatever
        # language the worker or the person running the command reads.
        with translation.override("en"), tempfile.TemporaryDirectory() as scratch:
            fields = _write(dump, Path(scratch), progress or _Silent())
            published_now = _publish(dump, fields)
        if not published_now:  # the claim went to another build: its files are the listed ones
            _delete_unlisted(dump, [str(fields[f"{kind}_name"]) for kind, _s, _m in FILES])
    except BaseException:
        _fail(dump)
        raise
    dumps_prune()
    dump.refresh_from_db()
    return dump if published_now else None


# Pruning ----------------------------------------------------------------------------------------
def _delete_stored(names: list[str]) -> None:
    """Delete stored files, then the folders they leave empty (a filesystem keeps those)."""
    target = storage()
    for name in names:
        if name:
            target.delete(name)
    if isinstance(target, FileSystemStorage):
        root = Path(target.path(""))
        for name in names:
            folder = Path(target.path(name)).parent
            while folder != root and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent


def _delete_unlisted(dump: Dump, names: list[str]) -> None:
    """Delete the files a build that lost its claim stored, but those the winner lists (the
    same bytes, when both built in the same second)."""
    listed = Dump.objects.filter(pk=dump.pk).values_list("zip_name", "graph_name", "dcat_name")
    keep = set(next(iter(listed), ()))
    _delete_stored([name for name in names if name not in keep])


def _delete_files(dump: Dump) -> None:
    """Every file stored under the dump's version, whichever build wrote it."""
    target = storage()

    def walk(folder: str) -> list[str]:
        try:
            folders, names = target.listdir(folder)
        except FileNotFoundError:
            return []
        inner = [name for sub in folders for name in walk(f"{folder}/{sub}")]
        return [*inner, *(f"{folder}/{name}" for name in names)]

    _delete_stored(walk(str(dump.version)))


def dumps_prune(*, keep: int | None = None) -> int:
    """Keep the newest `keep` (OPEN_DATA_KEEP) ready dumps; delete older rows, with their
    files, and the nights that failed before them. Returns how many rows went."""
    keep = settings.OPEN_DATA_KEEP if keep is None else keep
    kept = list(published().values_list("version", flat=True)[:keep])
    if len(kept) < keep:
        return 0
    old = list(Dump.objects.filter(version__lt=min(kept)).exclude(status=Dump.Status.RUNNING))
    for dump in old:
        _delete_files(dump)  # first: a file left behind would have no row to find it by
        Dump.objects.filter(pk=dump.pk).delete()
    return len(old)
