"""Preparing a download of one's data, and expiring it: the work the tasks run.

The build claims the export with a conditional UPDATE (pending, or running but abandoned by a
worker that died), writes each section of the ZIP, and reports its progress after each one, so
the page can show it. Nothing here queues a task (privacy.tasks imports this module)."""

from __future__ import annotations

import datetime
import io
import json
import uuid
import zipfile
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone

from patio.exports import csv_writer
from privacy import selectors
from privacy.models import DataExport

# A worker that died mid-build leaves its export "running": after this long, another may take it.
ABANDONED_AFTER = datetime.timedelta(minutes=15)

README = """Everything Patio holds about you, as of {at}.

profile.json         your profile, your account and its email addresses
<section>.csv        one file per kind of record, to open in a spreadsheet
<section>.json       the same records, for programs
audit_events.json    the changes recorded about you and your account
"""


def private_storage() -> FileSystemStorage:
    """Where downloads are kept: outside MEDIA_ROOT, with no URL. Only a view hands them out."""
    return FileSystemStorage(location=settings.PRIVATE_ROOT, base_url=None)


def _json(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def _csv(rows: Iterable[dict[str, Any]]) -> str:
    rows = list(rows)
    writer = csv_writer()
    if not rows:
        return ""
    header = list(rows[0])
    lines = [writer.writerow(header)]
    lines += [writer.writerow(_cell(row[name]) for name in header) for row in rows]
    return "".join(lines)


def _cell(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return value


def _claim(export_id: int, now: datetime.datetime) -> bool:
    claimable = Q(status=DataExport.Status.PENDING) | Q(
        status=DataExport.Status.RUNNING, started_at__lt=now - ABANDONED_AFTER
    )
    return (
        DataExport.objects.filter(claimable, pk=export_id).update(
            status=DataExport.Status.RUNNING, started_at=now, progress=0
        )
        == 1
    )


def _progress(export_id: int, percent: int) -> None:
    DataExport.objects.filter(pk=export_id, status=DataExport.Status.RUNNING).update(
        progress=percent
    )


def data_export_build(*, export_id: int) -> bool:
    """Prepare the ZIP of one export. Returns False when there was nothing to do (another
    worker has it, it is done, or the person was erased meanwhile)."""
    now = timezone.now()
    if not _claim(export_id, now):
        return False
    export = DataExport.objects.select_related("person__user", "person__organisation").get(
        pk=export_id
    )
    person = export.person
    buffer = io.BytesIO()
    sections = selectors.sections()
    steps = len(sections) + 1
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(at=now.isoformat(timespec="seconds")))
        archive.writestr("profile.json", _json(selectors.profile(person)))
        for done, section in enumerate(sections, start=1):
            rows = section.read(person)
            archive.writestr(f"{section.name}.json", _json(rows))
            if section.csv:
                archive.writestr(f"{section.name}.csv", _csv(rows))
            _progress(export_id, done * 100 // steps)
    name = private_storage().save(
        f"exports/{person.pk}/{uuid.uuid4().hex}.zip", ContentFile(buffer.getvalue())
    )
    ready_at = timezone.now()
    finished = DataExport.objects.filter(pk=export_id, status=DataExport.Status.RUNNING).update(
        status=DataExport.Status.READY,
        progress=100,
        file_name=name,
        size=len(buffer.getvalue()),
        ready_at=ready_at,
        expires_at=ready_at + datetime.timedelta(days=settings.DATA_EXPORT_DAYS),
    )
    if finished != 1:  # erased or expired meanwhile: keep no file nobody will fetch
        private_storage().delete(name)
        return False
    return True


def data_export_fail(*, export_id: int) -> None:
    """The build gave up: say so on the page, so the person may ask again."""
    DataExport.objects.filter(pk=export_id, status__in=DataExport.IN_PROGRESS).update(
        status=DataExport.Status.FAILED
    )


def data_exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of downloads past their expiry date. Idempotent."""
    now = now or timezone.now()
    expired = 0
    due = DataExport.objects.filter(status=DataExport.Status.READY, expires_at__lte=now)
    for export_id, name in due.values_list("pk", "file_name"):
        claimed = DataExport.objects.filter(pk=export_id, status=DataExport.Status.READY).update(
            status=DataExport.Status.EXPIRED, file_name=""
        )
        if claimed == 1:
            if name:
                private_storage().delete(name)
            expired += 1
    return expired
