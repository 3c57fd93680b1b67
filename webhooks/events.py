"""The kinds of event partners subscribe to, and `emit()`, the one way a service reports one.

The apps that own the subjects register their kinds in AppConfig.ready (webhooks knows none of
them: it sits just above accounts, so every app's services may call `emit`):

    events.register_kind(
        "organisation.updated",
        label=_("A co-op's details changed"),
        serializer=OrganisationOut,            # the REST API's own representation
        rows=lambda: Organisation.objects.prefetch_related("sectors", ...),
        visible_to=organisations_visible_to,   # who may read one, as the API decides
    )

A service calls `emit(kind, obj)` inside the transaction of the write it reports. That writes
the event, with the subject as the REST API gives it now, and asks the outbox (patio.outbox) for
its fan-out in the same transaction: a write that rolls back leaves no event and sends nothing.
When no subscription wants the kind, nothing is written at all.

An app above the one that emits may also follow a kind in-process with `listen(kind, listener)`:
every `emit` of it calls `listener(kind, obj)` in the write's transaction, whether or not a
partner subscribes (murmurations keeps the index in step with the co-ops this way).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.functional import Promise
from rest_framework import serializers

from accounts.models import AnyUser
from patio import outbox
from webhooks.models import Event, Subscription

StrOrPromise = str | Promise

# The task that fans an event out to its subscriptions (webhooks.tasks.fan_out), by name: the
# tasks build on the services, which read this registry.
FAN_OUT_TASK = "webhooks.tasks.fan_out"


@dataclass(frozen=True)
class EventKind:
    """A kind of event: its type (`organisation.updated`), what it means, and how its subject
    is read (`rows`), shown (`serializer`, the REST API's) and seen (`visible_to(user)`, the
    API's own selector). `once`: it happens once per subject and occasion."""

    key: str
    label: StrOrPromise
    serializer: type[serializers.BaseSerializer[Any]]
    rows: Callable[[], models.QuerySet[Any]]
    visible_to: Callable[[AnyUser | None], models.QuerySet[Any]]
    description: StrOrPromise = ""
    once: bool = False

    def represent(self, obj: models.Model) -> dict[str, Any]:
        """The subject as the REST API gives it (in the site's language, with absolute links),
        as plain JSON."""
        with translation.override(settings.LANGUAGE_CODE):
            fresh = self.rows().get(pk=obj.pk)
            data = self.serializer(fresh, context={"request": site_request()}).data
        loaded: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
        return loaded

    def is_public(self, subject_id: int) -> bool:
        return self.visible_to(AnonymousUser()).filter(pk=subject_id).exists()

    def may_read(self, user: AnyUser, subject_id: int) -> bool:
        return self.visible_to(user).filter(pk=subject_id).exists()


_KINDS: dict[str, EventKind] = {}
Listener = Callable[[str, models.Model], None]
_LISTENERS: dict[str, list[Listener]] = {}


def register_kind(
    key: str,
    *,
    label: StrOrPromise,
    serializer: type[serializers.BaseSerializer[Any]],
    rows: Callable[[], models.QuerySet[Any]],
    visible_to: Callable[[AnyUser | None], models.QuerySet[Any]],
    description: StrOrPromise = "",
    once: bool = False,
) -> EventKind:
    """Declare a kind of event. Registering the same key again replaces it (tests, reloads)."""
    kind = EventKind(
        key=key,
        label=label,
        serializer=serializer,
        rows=rows,
        visible_to=visible_to,
        description=description,
        once=once,
    )
    _KINDS[key] = kind
    return kind


def listen(kind: str, listener: Listener) -> Listener:
    """Have `listener(kind, obj)` called by every `emit(kind, obj)`, inside the write's
    transaction (so what it writes rolls back with the write). Listening again changes nothing."""
    listeners = _LISTENERS.setdefault(kind, [])
    if listener not in listeners:
        listeners.append(listener)
    return listener


def kinds() -> list[EventKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.key)


def kind_named(key: str) -> EventKind:
    """The kind registered under `key`; a LookupError names an unknown one."""
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"unregistered webhook event type {key!r}") from None


def choices() -> list[tuple[str, str]]:
    return [(kind.key, str(kind.label)) for kind in kinds()]


class _SiteRequest(HttpRequest):
    """What the serializers read from a request (absolute links, the reader) for an event:
    links on SITE_URL, read as a visitor, whatever request or task emits it."""

    def __init__(self) -> None:
        super().__init__()
        parts = urlsplit(settings.SITE_URL)
        self._site_scheme, self._site_host = parts.scheme or "https", parts.netloc
        self.user = AnonymousUser()

    def get_host(self) -> str:
        return self._site_host

    def _get_scheme(self) -> str:
        return self._site_scheme


def site_request() -> HttpRequest:
    return _SiteRequest()


def usable_subscriptions(now: Any = None) -> Q:
    """Subscriptions that may receive events: active, with a usable token of an active account."""
    now = now or timezone.now()
    return Q(
        status=Subscription.Status.ACTIVE,
        token__revoked_at__isnull=True,
        token__expires_at__gt=now,
        token__user__is_active=True,
    )


def _wanted(kind: str) -> bool:
    # The event lists are JSON; few subscriptions exist, and every database can read them here.
    lists = Subscription.objects.filter(usable_subscriptions()).values_list("events", flat=True)
    return any(kind in events for events in lists)


def emit(
    kind: str, obj: models.Model, *, was_public: bool = False, occasion: str = ""
) -> Event | None:
    """Record that `kind` happened to `obj` and have it sent to the subscriptions that want it
    and may read it, once the current transaction commits. Call it inside the write's own
    transaction (a service's `@transaction.atomic`), after the write.

    `was_public`: a visitor could see `obj` before this change (a co-op that has just left is
    hidden from visitors now, and they should still learn that it left). `occasion` tells two
    events of a `once` kind apart (an assembly scheduled, then moved to another time).

    Returns the event, or None when nobody subscribes to the kind or a `once` event was already
    recorded. The event's id (`webhook-id`) exists only if the write commits."""
    spec = kind_named(kind)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("emit() belongs inside the transaction of the write it reports")
    for listener in _LISTENERS.get(kind, ()):
        listener(kind, obj)
    if not _wanted(kind):
        return None
    once_key = f"{kind}:{obj.pk}:{occasion}"[:200] if spec.once else None
    if once_key is not None and Event.objects.filter(once_key=once_key).exists():
        return None
    payload = spec.represent(obj)
    public = was_public or spec.is_public(obj.pk)
    try:
        # A savepoint: a `once` event another transaction recorded meanwhile is no error.
        with transaction.atomic():
            event = Event.objects.create(
                kind=kind,
                subject_type=obj._meta.label_lower,
                subject_id=obj.pk,
                public=public,
                payload=payload,
                once_key=once_key,
            )
    except IntegrityError:
        return None
    outbox.enqueue_message(FAN_OUT_TASK, args=[event.pk])
    return event
