"""Every write of Murmurations: keeping the index (MURMURATIONS_INDEX_URL) in step with the profiles.

The flow: a service's write emits its event (`webhooks.events.emit`); murmurations listens to the
co-ops' events and calls `profiles_requested` in that same transaction, which bumps the
profile's `Registration` (one per object) and asks the outbox for `sync_registrations`. A write
that rolls back leaves neither. Once it commits, the task claims each row (`patio.delivery.take`,
so one attempt at a time per profile), reads whether its object is public now, and registers the
profile (POST) or removes it (DELETE): the request follows what is true when it goes, not what
the message said. Success settles the row unless it was asked for again meanwhile, in which case
the task attempts once more. A failure is tried again after MURMURATIONS_RETRY_FIRST_SECONDS,
then twice as long each time (beat's `dispatch_due` queues what is due), and after
MURMURATIONS_MAX_ATTEMPTS the row is failed until the next change, the daily reconciliation or
an admin asks again. With MURMURATIONS_INDEX_URL empty none of this runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AnyUser
from audit.services import audit_record
from members.permissions import is_network_admin
from murmurations import index, profiles
from murmurations.models import Registration
from murmurations.tasks import check_statuses, sync_registrations
from patio import delivery, outbox

REGISTRATIONS = delivery.Outbox(
    Registration, taken="taken_at", settled="settled_at", queued="queued_at"
)
# Registrations per sync task: each may wait MURMURATIONS_TIMEOUT_SECONDS at every network step.
SYNC_BATCH = 5
# Registrations one beat dispatch queues at most: a backlog drains over a few runs.
DISPATCH_LIMIT = 500
# Rows a status check reads at a time, and how long the index gets to read a profile first.
CHECK_LIMIT = 100
CHECK_AFTER = timedelta(seconds=30)
# Times one sync may attempt a row that was asked for again while it was being attempted.
ROUNDS = 3
Status = Registration.Status


def enabled() -> bool:
    return bool(settings.MURMURATIONS_INDEX_URL)


# Asking --------------------------------------------------------------------------------------
@transaction.atomic
def profiles_requested(
    *, kind: str, object_ids: Iterable[int], now: datetime | None = None
) -> list[int]:
    """Have these objects' profiles follow them in the index, once the current transaction
    commits: registered while public, removed once not. Returns the registrations asked for.
    Does nothing when no index is set, or for an object that has no profile and never had one."""
    if not enabled():
        return []
    spec = profiles.kind_named(kind)
    wanted = sorted(set(object_ids))
    if not wanted:
        return []
    now = now or timezone.now()
    public = spec.public_ids(wanted)
    known = set(
        Registration.objects.filter(kind=kind, object_id__in=wanted).values_list(
            "object_id", flat=True
        )
    )
    Registration.objects.bulk_create(
        [
            Registration(
                kind=kind, object_id=pk, profile_url=spec.profile_url(pk), requested_at=now
            )
            for pk in sorted(public - known)
        ],
        # Another transaction may be adding the same row: it is asked for either way.
        ignore_conflicts=True,
    )
    rows = Registration.objects.filter(kind=kind, object_id__in=sorted(public | known))
    ids = list(rows.order_by("pk").values_list("pk", flat=True))
    # A row being attempted keeps its claim: that attempt sees the new version and goes again.
    Registration.objects.filter(pk__in=ids).update(
        version=F("version") + 1,
        status=Status.PENDING,
        requested_at=now,
        next_attempt_at=now,
        queued_at=now,
        settled_at=None,
        attempts=0,
        updated_at=now,
    )
    for object_id, label in spec.labels(sorted(public | known)).items():
        Registration.objects.filter(kind=kind, object_id=object_id).exclude(label=label).update(
            label=label
        )
    for start in range(0, len(ids), SYNC_BATCH):
        outbox.enqueue(sync_registrations, ids[start : start + SYNC_BATCH])
    return ids


# Attempting ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    present: bool  # the profile should be in the index
    ok: bool
    node: index.Node | None = None
    error: str = ""


def registrations_sync(*, ids: Sequence[int], now: datetime | None = None) -> int:
    """Attempt each of these registrations that is due and not being attempted elsewhere;
    returns how many were settled as asked. Call it outside a transaction: each claim commits
    before its request goes out, and each answer is recorded as soon as it comes.

    Concurrency: one attempt at a time per registration (the claim); a worker killed mid-attempt
    leaves its claim, taken again after DELIVERY_RECLAIM_SECONDS (beat's `dispatch_due`). The
    index's requests are idempotent: posting a profile twice refreshes it, removing a node twice
    finds it gone."""
    if not enabled():
        return 0
    settled = 0
    for pk in ids:
        for _round in range(ROUNDS):
            at = now or timezone.now()
            due = Q(pk=pk, next_attempt_at__lte=at)
            if not delivery.take(REGISTRATIONS, where=due, now=at):
                break
            row = Registration.objects.filter(pk=pk).first()
            if row is None:
                break
            with delivery.releasing(REGISTRATIONS, [pk], taken_at=at):
                outcome = _attempt(row)
                again = _record(row, outcome, at)
            if not again:
                settled += outcome.ok
                break
    return settled


def _attempt(row: Registration) -> Outcome:
    try:
        spec = profiles.kind_named(row.kind)
    except LookupError:
        return Outcome(present=False, ok=False, error=f"unknown kind of profile {row.kind!r}")
    present = spec.is_public(row.object_id)
    try:
        if present:
            # From now on the index may hold it, even if its answer is lost.
            Registration.objects.filter(pk=row.pk).update(listed=True)
            return Outcome(present=True, ok=True, node=index.register(row.profile_url))
        if not row.listed:
            return Outcome(present=False, ok=True)  # never in the index: nothing to remove
        node_id = row.node_id or index.node_id_for(row.profile_url)
        index.remove(node_id)
        return Outcome(present=False, ok=True, node=index.Node(node_id, "deleted"))
    except index.IndexFailed as failure:
        return Outcome(present=present, ok=False, error=str(failure))


def _retry_at(attempts: int, at: datetime) -> datetime:
    wait = settings.MURMURATIONS_RETRY_FIRST_SECONDS * 2 ** (min(attempts, 30) - 1)
    return at + timedelta(seconds=wait)


def _record(row: Registration, outcome: Outcome, at: datetime) -> bool:
    """Write what the attempt learnt; settle the row or schedule its next attempt. Returns
    True when the row was asked for again while it was attempted (it is released, to go again)."""
    info: dict[str, object] = {
        "last_attempt_at": at,
        "index_url": settings.MURMURATIONS_INDEX_URL,
        "updated_at": at,
        "last_error": outcome.error[:1000],
    }
    if outcome.node is not None:
        info |= {"node_id": outcome.node.node_id, "index_status": outcome.node.status}
    if outcome.ok and outcome.present:
        info |= {"last_registered_at": at}
    elif outcome.ok:
        info |= {"listed": False}
        if row.listed:
            info |= {"removed_at": at}
    done: dict[str, object] = {"queued_at": None, "taken_at": None}
    if outcome.ok:
        status = Status.REGISTERED if outcome.present else Status.REMOVED
        done |= {"status": status, "attempts": 0, "settled_at": at, "next_attempt_at": None}
    elif row.attempts + 1 >= settings.MURMURATIONS_MAX_ATTEMPTS:
        done |= {"status": Status.FAILED, "attempts": row.attempts + 1, "settled_at": at}
        done |= {"next_attempt_at": None}
    else:
        done |= {"status": Status.RETRYING, "attempts": row.attempts + 1}
        done |= {"next_attempt_at": _retry_at(row.attempts + 1, at)}
    with transaction.atomic():
        Registration.objects.filter(pk=row.pk).update(**info)
        changed = Registration.objects.filter(pk=row.pk, version=row.version).update(**done) == 0
        if changed:
            Registration.objects.filter(pk=row.pk).update(taken_at=None)
    return changed


def registrations_dispatch_due(*, now: datetime | None = None) -> int:
    """Beat, every minute: queue the attempts that are due (retries, and syncs whose message
    was lost or whose worker died mid-attempt); returns how many were queued."""
    if not enabled():
        return 0
    now = now or timezone.now()
    lost = now - delivery.STALE_AFTER

    def claim() -> list[int]:
        due = (
            Registration.objects.filter(next_attempt_at__lte=now)
            .filter(REGISTRATIONS.takeable(now))
            .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=lost))
        )
        ids = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True))
        ids = ids[:DISPATCH_LIMIT]
        Registration.objects.filter(pk__in=ids).update(queued_at=now)
        return ids

    return delivery.dispatch(claim=claim, send=sync_registrations, batch=SYNC_BATCH)


# What the index made of them ----------------------------------------------------------------
def registrations_check(*, ids: Sequence[int] | None = None, now: datetime | None = None) -> int:
    """Read the index's status of registered profiles: these, or (beat) those whose status is
    not final yet. A validation failure's reasons become the row's error; a node the index has
    lost is registered again. Returns how many were read."""
    if not enabled():
        return 0
    now = now or timezone.now()
    rows = Registration.objects.filter(status=Status.REGISTERED, listed=True)
    if ids is None:
        rows = rows.exclude(index_status__in=index.FINAL).filter(
            last_registered_at__lt=now - CHECK_AFTER
        )
    else:
        rows = rows.filter(pk__in=list(ids))
    read = 0
    for row in rows.order_by("pk")[:CHECK_LIMIT]:
        node_id = row.node_id or index.node_id_for(row.profile_url)
        try:
            node = index.node(node_id)
        except index.IndexFailed as failure:
            if failure.status == 404:
                profiles_requested(kind=row.kind, object_ids=[row.object_id], now=now)
            else:
                Registration.objects.filter(pk=row.pk).update(
                    last_checked_at=now, last_error=str(failure)[:1000], updated_at=now
                )
            continue
        Registration.objects.filter(pk=row.pk).update(
            node_id=node_id,
            index_status=node.status,
            last_checked_at=now,
            last_error="; ".join(node.reasons)[:1000],
            updated_at=now,
        )
        read += 1
    return read


# Catching up -------------------------------------------------------------------------------
def profiles_reconcile(*, now: datetime | None = None) -> int:
    """Daily (and `manage.py murmurations_register`): ask again for every profile whose
    registration is not what its object says: public with no registration (a write outside the
    services, such as the Django admin's, or an index set only now), registered with another
    index, removed or failed while public; registered or failed while no longer public.
    Registrations in flight are left to their attempts. Returns how many were asked for."""
    if not enabled():
        return 0
    current = settings.MURMURATIONS_INDEX_URL
    asked = 0
    for spec in profiles.kinds():
        public = spec.public_ids()
        rows = Registration.objects.filter(kind=spec.key).values_list(
            "object_id", "status", "index_url", "listed"
        )
        known: dict[int, tuple[str, str, bool]] = {
            object_id: (status, index_url, listed) for object_id, status, index_url, listed in rows
        }
        stale = [pk for pk in public if _needs_registering(known.get(pk), current)]
        stale += [
            object_id
            for object_id, (status, _url, listed) in known.items()
            if object_id not in public and listed and status in (Status.REGISTERED, Status.FAILED)
        ]
        for start in range(0, len(stale), DISPATCH_LIMIT):
            asked += len(
                profiles_requested(
                    kind=spec.key, object_ids=sorted(stale)[start : start + DISPATCH_LIMIT], now=now
                )
            )
    return asked


def _needs_registering(row: tuple[str, str, bool] | None, current: str) -> bool:
    if row is None:
        return True
    status, index_url, _listed = row
    if status in (Status.REMOVED, Status.FAILED):
        return True
    return status == Status.REGISTERED and index_url != current


# By hand ----------------------------------------------------------------------------------
def _by_hand(actor: AnyUser) -> None:
    if not is_network_admin(actor):
        raise PermissionDenied
    if not enabled():
        raise ValidationError(_("No Murmurations index is set (MURMURATIONS_INDEX_URL)."))


@transaction.atomic
def registrations_retry(*, actor: AnyUser, registrations: Sequence[Registration]) -> int:
    """A network admin asks for these profiles to be registered (or removed) again now, with a
    fresh count of attempts. Returns how many were asked for."""
    _by_hand(actor)
    asked = 0
    ordered = sorted(registrations, key=lambda row: (row.kind, row.object_id))
    for kind, rows in groupby(ordered, key=lambda row: row.kind):
        group = list(rows)
        asked += len(profiles_requested(kind=kind, object_ids=[row.object_id for row in group]))
        for row in group:
            audit_record(
                actor=actor,
                action="murmurations.retry",
                target=row,
                before={"status": row.status, "attempts": row.attempts},
            )
    return asked


@transaction.atomic
def registrations_check_requested(*, actor: AnyUser, registrations: Sequence[Registration]) -> int:
    """A network admin asks the index, now, what it made of these registered profiles."""
    _by_hand(actor)
    ids = sorted(row.pk for row in registrations if row.status == Status.REGISTERED)
    if ids:
        outbox.enqueue(check_statuses, ids)
    return len(ids)
