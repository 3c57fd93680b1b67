"""Incremental sync for partner tools: every API list takes `updated_since`, so a partner fetches
only what changed since its last visit; deletions are in the changes feed (the sync app).

With `updated_since` a list holds the rows whose `updated_at` is **at or after** that instant
(`>=`), oldest change first, ordered by (`updated_at`, `id`), and its cursor follows that order.
`>=` rather than `>`: a partner asks again with the last `updated_at` it saw and never misses a
row changed in that same instant (it gets the row it already has once more, and replaces it).
A row that changes while the partner pages moves behind the cursor and comes again on a later
page, so a sync that reaches the last page has seen every change up to when it started.

The filter runs last among the filter backends and orders the queryset itself; the paginator
(patio.pagination) pages in whatever order the queryset ends with, so it needs no knowledge of
this filter. `updated_since` with an explicit `ordering` is a 400.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend
from rest_framework.settings import api_settings

if TYPE_CHECKING:
    from rest_framework.request import Request

_M = TypeVar("_M", bound=Model)
_R = TypeVar("_R")

# "+02:00" sent without percent-encoding arrives as " 02:00".
_UNENCODED_PLUS = re.compile(r" (\d{2}(?::?\d{2})?)$")


def parse_instant(raw: str, name: str) -> datetime:
    """An ISO 8601 date and time with its timezone, as UTC; anything else is a 400 naming the
    parameter. A time without a timezone is refused: the server cannot know which one was meant,
    and a guess would make a partner miss or repeat hours of changes."""
    text = _UNENCODED_PLUS.sub(r"+\1", raw.strip()).upper()
    try:
        value = parse_datetime(text)
    except ValueError:
        value = None
    if value is None:
        raise exceptions.ValidationError(
            {name: [_("Send a date and time in ISO 8601, such as 2026-12-01T09:30:00Z.")]}
        )
    if timezone.is_naive(value):
        raise exceptions.ValidationError(
            {name: [_("Give the timezone too: Z or an offset such as +02:00.")]}
        )
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise exceptions.ValidationError(
            {name: [_("Send a date and time between the years 1 and 9999.")]}
        ) from None


def sync_field(view: Any) -> str:
    """The field that says when a row last changed: `updated_at`, unless the view names another
    (ledger entries never change, so theirs is `created_at`)."""
    return str(getattr(view, "sync_field", "updated_at"))


class UpdatedSinceFilter(BaseFilterBackend):
    """`?updated_since=<ISO 8601 with timezone>` on every list: only rows changed at or after
    that instant, ordered by (`updated_at`, `id`). Place it after the ordering backend."""

    param = "updated_since"
    # Order by the sync field even without the parameter (the changes feed does).
    always_ordered = False

    def _since(self, request: Request) -> datetime | None:
        raw = request.query_params.get(self.param, "")
        # Empty is absent, as for every filter of the API (and the schema says so).
        return parse_instant(raw, self.param) if raw else None

    def filter_queryset(
        self, request: Request, queryset: QuerySet[_M, _R], view: Any
    ) -> QuerySet[_M, _R]:
        if getattr(view, "action", "list") != "list":
            return queryset  # documented on lists only; a detail is fetched by its id
        since = self._since(request)
        if since is None and not self.always_ordered:
            return queryset
        ordering_param = api_settings.ORDERING_PARAM
        if since is not None and request.query_params.get(ordering_param):
            raise exceptions.ValidationError(
                {
                    ordering_param: [
                        _(
                            "Leave out %(ordering)s with %(since)s: changes come oldest first, "
                            "by the time they were made."
                        )
                        % {"ordering": ordering_param, "since": self.param}
                    ]
                }
            )
        field = sync_field(view)
        ordering = (field, "id")
        if since is not None:
            queryset = queryset.filter(**{f"{field}__gte": since})
        return queryset.order_by(*ordering)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": self.description(),
                "schema": {"type": "string", "format": "date-time"},
            }
        ]

    def description(self) -> str:
        return _(
            "Only what changed at or after this instant (ISO 8601 with a timezone, such as "
            "2026-12-01T09:30:00Z; percent-encode a +), oldest change first, ordered by "
            "updated_at then id. Ask again with the last updated_at you saw: rows changed in "
            "that same instant come again rather than being missed. A change is stamped when it "
            "is made, not when it is saved for good, so start a minute earlier to catch writes "
            "that were under way. Cannot be combined with ordering. Deletions are in "
            "/api/v1/changes/."
        )
