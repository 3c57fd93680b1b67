"""The directory as CSV: the columns of each download and the budget of downloads per account.

The rows are the page's own: the views build the same FilterSet over the same selector as the
directory pages and hand its queryset here, so a file holds exactly what the reader's page
showed, in the same order. What this module adds is only how a row is written:

- the headers are stable English snake_case, the API's field names, whatever language the
  reader reads the site in, so a script or a spreadsheet formula written once keeps working;
- values are the API's too: codes and slugs (`AR`, `worker_coop`, `software`), `; ` between the
  values of one cell, dates as ISO 8601 and instants in UTC (`updated_at_utc`);
- a contact field is written only where its owner lets this reader see it, and left empty
  otherwise, so the columns never change with who downloads.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from members.models import Organisation, Person
from members.permissions import visible_contact_fields
from patio.exports import day, listed, utc

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from accounts.models import AnyUser

# Rows read from the database at a time: each chunk is one query per prefetched relation.
CHUNK_SIZE = 2000

ORGANISATION_HEADER = (
    "id",
    "name",
    "slug",
    "url",
    "kind",
    "status",
    "country",
    "city",
    "founded",
    "size",
    "website",
    "sectors",
    "languages",
    "federations",
    "services",
    "short_description",
    "joined_on",
    "updated_at_utc",
)

PERSON_HEADER = (
    "id",
    "display_name",
    "url",
    "organisation",
    "organisation_name",
    "country",
    "timezone",
    "participation",
    "hours_per_week",
    "available_from",
    "skills",
    "languages",
    *Person.CONTACT_FIELDS,
    "updated_at_utc",
)


def _url(path: str) -> str:
    return settings.SITE_URL + path


def organisation_rows(organisations: QuerySet[Organisation]) -> Iterator[list[Any]]:
    for o in organisations.iterator(chunk_size=CHUNK_SIZE):
        yield [
            o.pk,
            o.name,
            o.slug,
            _url(o.get_absolute_url()),
            o.kind,
            o.status,
            str(o.country),
            o.city,
            o.founded if o.founded is not None else "",
            o.size if o.size is not None else "",
            o.website,
            listed(s.slug for s in o.sectors.all()),
            listed(language.code for language in o.languages.all()),
            listed(f.slug for f in o.federations.all()),
            listed(o.service_list()),
            o.short_description,
            day(o.joined_on),
            utc(o.updated_at),
        ]


def person_rows(people: QuerySet[Person], reader: AnyUser | None) -> Iterator[list[Any]]:
    for p in people.iterator(chunk_size=CHUNK_SIZE):
        visible = visible_contact_fields(reader, p)
        yield [
            p.pk,
            p.display_name,
            _url(p.get_absolute_url()),
            p.organisation.slug,
            p.organisation.name,
            str(p.country),
            p.timezone,
            p.participation,
            p.hours_per_week,
            day(p.available_from),
            listed(f"{ps.skill.slug}:{ps.level}" for ps in p.person_skills.all()),
            listed(f"{pl.language.code}:{pl.proficiency}" for pl in p.person_languages.all()),
            *(getattr(p, field) if field in visible else "" for field in Person.CONTACT_FIELDS),
            utc(p.updated_at),
        ]


class DownloadThrottle(SimpleRateThrottle):
    """Directory downloads per account (`DIRECTORY_DOWNLOAD_RATE`), both directories together.

    Checked on a plain Django request, as the help-request form's throttle is; only a download
    that is served spends it."""

    scope = "directory_download"

    def get_rate(self) -> str:
        return str(settings.DIRECTORY_DOWNLOAD_RATE)

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}

    def spend(self, request: HttpRequest) -> bool:
        """Whether the account may download now; if so, the download is counted."""
        return bool(self.allow_request(request, None))  # type: ignore[arg-type]  # a page's request
