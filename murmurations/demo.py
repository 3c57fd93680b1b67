"""The demo's Murmurations log: a few registrations with an index on this machine's discard port,
where nobody listens, so admins see what the registrations page shows (registered, failing and
retried, removed after a co-op left) without anything being sent. The demo runs with
MURMURATIONS_INDEX_URL empty, so no task ever sends one; the rows are written as they would have
been. Every public co-op's profile is served all the same, at /murmurations/coops/<id>.json."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from members.selectors import organisation_tombstones, public_organisations
from murmurations import coops, index
from murmurations.models import Registration
from murmurations.profiles import kind_named

DEMO_INDEX = "http://127.0.0.1:9/v2"
REFUSED = "URLError: [Errno 111] Connection refused"


def seed(*, say: Callable[[str], None] = print) -> None:
    if Registration.objects.filter(index_url=DEMO_INDEX).exists():
        return
    kind = kind_named(coops.KEY)
    registered, failing = list(public_organisations().filter(kind="worker_coop")[:2])
    gone = organisation_tombstones().first()
    now = timezone.now()
    Status = Registration.Status

    def row(organisation_id: int, label: str, **fields: object) -> Registration:
        url = kind.profile_url(organisation_id)
        return Registration(
            kind=kind.key,
            object_id=organisation_id,
            label=label,
            profile_url=url,
            index_url=DEMO_INDEX,
            node_id=index.node_id_for(url),
            **fields,
        )

    rows = [
        row(
            registered.pk,
            registered.name,
            status=Status.REGISTERED,
            index_status="posted",
            listed=True,
            requested_at=now - timedelta(days=2),
            last_attempt_at=now - timedelta(days=2),
            last_registered_at=now - timedelta(days=2),
            last_checked_at=now - timedelta(days=2) + timedelta(minutes=5),
            settled_at=now - timedelta(days=2),
        ),
        row(
            failing.pk,
            failing.name,
            status=Status.RETRYING,
            listed=True,
            attempts=3,
            last_error=REFUSED,
            requested_at=now - timedelta(minutes=10),
            last_attempt_at=now - timedelta(minutes=3),
            next_attempt_at=now + timedelta(minutes=4),
        ),
    ]
    if gone is not None:
        rows.append(
            row(
                gone.pk,
                gone.name,
                status=Status.REMOVED,
                index_status="deleted",
                requested_at=now - timedelta(days=1),
                last_attempt_at=now - timedelta(days=1),
                last_registered_at=now - timedelta(days=30),
                removed_at=now - timedelta(days=1),
                settled_at=now - timedelta(days=1),
            )
        )
    Registration.objects.bulk_create(rows)
    say(
        _("Murmurations: %(count)d registrations in the demo log (nothing is sent).")
        % {"count": len(rows)}
    )
