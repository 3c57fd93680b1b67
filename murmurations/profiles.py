"""The kinds of Murmurations profile the network publishes: a small registry, so that a second kind
(the offers and wants of the catalogue, once it exists) is one `register_kind` call.

A kind says which objects have a profile now (`public`: what a visitor may read), which answer
410 Gone (`gone`), how a profile is built (`build`, from rows `rows` prefetched) and which
Murmurations schema it follows. Every profile lives at `/murmurations/<key>/<id>.json`: the
object's id, never its slug, because the index knows a node by its profile's URL (the node id is
the SHA-256 of it), so an address that changed with a rename would leave the old node behind.

    register_kind(ProfileKind(
        key="offers",
        label=_("offer or want"),
        schema="offers_wants_schema-v0.1.0",
        public=lambda: Offer.objects.filter(status="open", visibility="public"),
        build=offer_profile,
    ))

and the app that writes offers reports each change through an event murmurations listens to
(`webhooks.events.listen`), as the co-ops' services do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from patio.linked_data import absolute

StrOrPromise = str | Promise
Profile = dict[str, Any]
# Where the published schemas live; `linked_schemas` names them, the index reads them here.
LIBRARY = "https://library.murmurations.network/v2/schemas/"


def _same(rows: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return rows


@dataclass(frozen=True)
class ProfileKind:
    key: str  # the address segment and `Registration.kind`: "coops"
    label: StrOrPromise
    schema: str  # the Murmurations schema its profiles are linked to
    public: Callable[[], models.QuerySet[Any]]
    build: Callable[[Any], Profile]
    rows: Callable[[models.QuerySet[Any]], models.QuerySet[Any]] = field(default=_same)
    gone: Callable[[], models.QuerySet[Any]] | None = None

    @property
    def schema_url(self) -> str:
        return f"{LIBRARY}{self.schema}"

    def profile_path(self, object_id: int) -> str:
        return reverse("murmurations:profile", args=[self.key, object_id])

    def profile_url(self, object_id: int) -> str:
        """The profile's permanent address, on SITE_URL: what the index is given."""
        return absolute(self.profile_path(object_id))

    def is_public(self, object_id: int) -> bool:
        return self.public().filter(pk=object_id).exists()

    def public_ids(self, object_ids: list[int] | None = None) -> set[int]:
        rows = self.public()
        if object_ids is not None:
            rows = rows.filter(pk__in=object_ids)
        return set(rows.values_list("pk", flat=True))

    def profile_of(self, object_id: int) -> Profile | None:
        """The profile of a public object, in the site's language; None when it has none."""
        with translation.override(settings.LANGUAGE_CODE):
            obj = self.rows(self.public()).filter(pk=object_id).first()
            return None if obj is None else self.build(obj)

    def labels(self, object_ids: list[int]) -> dict[int, str]:
        """What these objects are called (whether they have a profile now or not)."""
        rows = self.public().model._default_manager.filter(pk__in=object_ids)
        return {row.pk: str(row)[:200] for row in rows}

    def is_gone(self, object_id: int) -> bool:
        return self.gone is not None and self.gone().filter(pk=object_id).exists()


_KINDS: dict[str, ProfileKind] = {}


def register_kind(kind: ProfileKind) -> ProfileKind:
    """Declare a kind of profile. Registering the same key again replaces it (tests, reloads)."""
    _KINDS[kind.key] = kind
    return kind


def kinds() -> list[ProfileKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.key)


def kind_named(key: str) -> ProfileKind:
    """The kind registered under `key`; a LookupError names an unknown one."""
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"unregistered kind of Murmurations profile {key!r}") from None


def choices() -> list[tuple[str, str]]:
    return [(kind.key, str(kind.label)) for kind in kinds()]
