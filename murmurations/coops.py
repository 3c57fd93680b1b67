"""The co-ops' profiles: every public organisation of the directory (member co-ops, federations
and partners) as a Murmurations `organizations_schema-v1.0.0` profile.

Built from what a visitor may read, whoever asks, in the site's language (a profile is read far
from any request), with links on SITE_URL. Its `primary_url` is the co-op's page on the network:
it is always there and unique, while a co-op's own website may be missing or publish a profile
of its own; the website goes in `urls`. Co-ops have no coordinates yet, so `geolocation` is left
out rather than guessed from a city or a country.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Model, Prefetch, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import hooks
from members.models import Organisation
from members.selectors import organisation_tombstones, public_organisations
from members.vocabulary import by_name
from murmurations.profiles import Profile, ProfileKind, kind_named, register_kind
from patio.linked_data import absolute, plain_text

KEY = "coops"
SCHEMA = "organizations_schema-v1.0.0"
# A relationship's predicate: this co-op is a member of that federation.
MEMBER_OF = "https://schema.org/memberOf"
MEDIA_TYPE = "application/json"


def rows(organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """What a profile reads, prefetched: its sectors and its (public) federations."""
    from members.models import Sector

    return organisations.prefetch_related(
        Prefetch("sectors", queryset=by_name(Sector.objects.all())),
        Prefetch("federations", queryset=public_organisations().order_by("name", "id")),
    )


def starts_at(year: int) -> int:
    """A founding year as Murmurations writes a start: 1 January, 00:00 UTC, in Unix seconds."""
    return int(dt.datetime(year, 1, 1, tzinfo=dt.UTC).timestamp())


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def profile(organisation: Organisation) -> Profile:
    """The profile of a public organisation read through `rows()`."""
    with translation.override(settings.LANGUAGE_CODE):
        return _profile(organisation)


def _profile(organisation: Organisation) -> Profile:
    description = plain_text(organisation.description)
    built: dict[str, Any] = {
        "linked_schemas": [SCHEMA],
        "name": organisation.name,
        "primary_url": absolute(organisation.get_absolute_url()),
        "tags": _unique(
            [str(organisation.get_kind_display())]
            + [sector.name for sector in organisation.sectors.all()]
        ),
        "description": description or organisation.short_description,
        # The short description says what the co-op does, for whom and where: the mission, as
        # Murmurations defines it. Left out when it is already the description.
        "mission": organisation.short_description if description else "",
        "country_iso_3166": str(organisation.country),
        "urls": (
            [{"name": _("Website"), "url": organisation.website}] if organisation.website else []
        ),
        "image": absolute(organisation.logo.url) if organisation.logo else "",
        "relationships": [
            {"predicate_url": MEMBER_OF, "object_url": absolute(federation.get_absolute_url())}
            for federation in organisation.federations.all()
        ],
        "starts_at": starts_at(organisation.founded) if organisation.founded else None,
    }
    return {key: value for key, value in built.items() if value not in (None, "", [])}


def alternate(organisation: Organisation) -> hooks.Alternate:
    """The co-op's page links its profile (members.hooks): no query, the address is its id."""
    kind = kind_named(KEY)
    return hooks.Alternate(
        href=kind.profile_url(organisation.pk),
        media_type=MEDIA_TYPE,
        title=str(gettext_lazy("Murmurations profile")),
        schema=kind.schema_url,
    )


def register() -> ProfileKind:
    hooks.register_organisation_alternate(alternate)
    return register_kind(
        ProfileKind(
            key=KEY,
            label=gettext_lazy("co-op"),
            schema=SCHEMA,
            public=public_organisations,
            build=profile,
            rows=rows,
            gone=organisation_tombstones,
        )
    )


def coop_changed(event: str, organisation: Model) -> None:
    """A co-op was added, changed or left (its services' event, in their transaction): its
    profile follows it in the index."""
    from murmurations.services import profiles_requested

    profiles_requested(kind=KEY, object_ids=[organisation.pk])


def listen() -> None:
    from members.services import ORGANISATION_CREATED, ORGANISATION_LEFT, ORGANISATION_UPDATED
    from webhooks import events

    for event in (ORGANISATION_CREATED, ORGANISATION_UPDATED, ORGANISATION_LEFT):
        events.listen(event, coop_changed)
