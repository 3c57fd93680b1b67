"""Keyset pages for every API list: the database seeks to the last row a page showed, so page
4,000 costs what page 1 does, and rows added or removed meanwhile never shift a page.

The order is whatever ordered the queryset last (the `ordering` parameter through
`patio.filters.StrictOrderingFilter`, a filter that orders by itself, or the view's queryset),
then the primary key, so that every row has one place. Empty values (NULL) sort after every
value going up and before every value going down, on every database, so that a page can say
where it stopped even on an empty value and the reverse order is the exact mirror.

A cursor is opaque to callers: URL-safe base64 of a small JSON object with the stopping row's key
values, the ordering they belong to and the direction. Nothing in it is secret (the values are
on the page already), so it is not signed; it is checked against the types of the ordering's
fields instead, and a cursor that does not fit is a 400, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import decimal
import json
import math
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import DecimalValidator
from django.db import connections
from django.db.models import F, Field, Model, OrderBy, Q, QuerySet
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

# The longest cursor the server makes is far shorter; a longer one was not made here.
MAX_CURSOR_LENGTH = 2000
_ALIAS = "_keyset_{}"


@dataclass(frozen=True)
class Key:
    """One column of the page order."""

    name: str  # as the ordering names it (`founded`, `circle__name`, `pk`)
    descending: bool
    alias: str  # the annotation that carries its value
    field: Field[Any, Any]  # what its values are
    nullable: bool


@dataclass(frozen=True)
class Cursor:
    values: tuple[Any, ...]
    backwards: bool


def _invalid(detail: str | None = None) -> exceptions.ValidationError:
    return exceptions.ValidationError(
        {
            "cursor": [
                detail or _("This cursor is not one this list gave out. Start again without it.")
            ]
        }
    )


def _names(queryset: QuerySet[Any]) -> list[str]:
    """The queryset's ordering as signed field names."""
    query = queryset.query
    ordering: Sequence[Any] = query.order_by or (
        queryset.model._meta.ordering if query.default_ordering else ()
    )
    names = []
    for term in ordering:
        if isinstance(term, str):
            names.append(term)
        elif isinstance(term, OrderBy) and isinstance(term.expression, F):
            sign = "-" if term.descending else ""
            names.append(sign + term.expression.name)  # type: ignore[attr-defined]  # not in the stubs
        elif isinstance(term, F):
            names.append(term.name)  # type: ignore[attr-defined]
        else:
            raise ImproperlyConfigured(f"Keyset pages cannot seek on {term!r}; order by names.")
    return names


def _expand(model: type[Model], name: str, depth: int = 0) -> list[str]:
    """A name as the columns it sorts by: a relation sorts by its model's ordering (as Django
    does), so `assembly` is `assembly__start, assembly__id`."""
    descending = name.startswith("-")
    path = name.lstrip("-")
    if path == "?":
        raise ImproperlyConfigured("Keyset pages cannot seek on a random order.")
    current: type[Model] | None = model
    field: Any = None
    for part in path.split("__"):
        if current is None:
            return [name]
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            return [name]  # an annotation, or pk
        current = field.related_model if field.is_relation else None
    if field is None or not (field.many_to_one or field.one_to_one):
        return [name]
    related = field.related_model
    inner = (list(related._meta.ordering) or ["pk"]) if depth < 3 else ["pk"]
    expanded = []
    for term in inner:
        if not isinstance(term, str):
            raise ImproperlyConfigured(f"Keyset pages cannot seek on {term!r}.")
        inner_descending = term.startswith("-") != descending
        column = f"{path}__{term.lstrip('-')}"
        expanded += _expand(model, ("-" if inner_descending else "") + column, depth + 1)
    return expanded


def _target(field: Any) -> Any:
    while getattr(field, "is_relation", False) and getattr(field, "target_field", None):
        field = field.target_field
    return field


class KeysetPagination(BasePagination):
    """Cursor pages over (the ordering's keys, then the primary key). See the module docstring."""

    page_size = 25
    max_page_size = 100
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"
    # For a queryset nothing ordered (no `ordering`, no Meta ordering).
    ordering = "-pk"

    # Set by paginate_queryset, read when the response is made.
    request: Request
    base_url: str
    keys: list[Key]
    database: str
    next_cursor: Cursor | None
    previous_cursor: Cursor | None

    # The request ------------------------------------------------------------------------------
    def get_page_size(self, request: Request) -> int:
        """The asked size, a whole number from 1 to `max_page_size`; anything else is a 400 (DRF
        would quietly fall back to the default, so a typo went unnoticed)."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not re.fullmatch(r"[0-9]{1,4}", raw) or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("Send a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def get_ordering(
        self, request: Request, queryset: QuerySet[Any], view: APIView | None = None
    ) -> list[str]:
        """The signed names the page is ordered by, ending on the primary key. Whatever ordered
        the queryset last decides: override this to order a view's pages another way."""
        model = queryset.model
        pk_names = {"pk", model._meta.pk.name if model._meta.pk else "pk"}
        names: list[str] = []
        for name in _names(queryset) or [self.ordering]:
            for column in _expand(model, name):
                if column.lstrip("-") in {n.lstrip("-") for n in names}:
                    continue  # a repeat sorts nothing more
                names.append(column)
                if column.lstrip("-") in pk_names:
                    return names  # unique: whatever follows never decides
        names.append("-pk" if names and names[0].startswith("-") else "pk")
        return names

    def _keys(self, queryset: QuerySet[Any], names: list[str]) -> tuple[QuerySet[Any], list[Key]]:
        aliases = {_ALIAS.format(i): F(name.lstrip("-")) for i, name in enumerate(names)}
        queryset = queryset.annotate(**aliases)
        keys = []
        for i, name in enumerate(names):
            alias = _ALIAS.format(i)
            expression = queryset.query.annotations[alias]
            target = getattr(expression, "target", None)
            field = _target(getattr(expression, "output_field", None))
            if not isinstance(field, Field):
                raise ImproperlyConfigured(f"Keyset pages cannot tell the type of {name!r}.")
            is_last = i == len(names) - 1
            # A key across a relation is empty where the relation is.
            nullable = not is_last and ("__" in name or bool(getattr(target, "null", True)))
            keys.append(Key(name.lstrip("-"), name.startswith("-"), alias, field, nullable))
        return queryset, keys

    # The page ---------------------------------------------------------------------------------
    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: APIView | None = None
    ) -> list[Any]:
        if not isinstance(queryset, QuerySet):
            raise ImproperlyConfigured("Keyset pages need a queryset to seek in.")
        self.request = request
        self.base_url = request.build_absolute_uri()
        size = self.get_page_size(request)
        names = self.get_ordering(request, queryset, view)
        queryset, self.keys = self._keys(queryset, names)
        self.database = queryset.db
        cursor = self.decode_cursor(request, names)
        backwards = cursor is not None and cursor.backwards
        # Empty values last going up, first going down: the reverse order is the exact mirror.
        order = [
            OrderBy(
                F(key.alias), descending=down, nulls_last=not down or None, nulls_first=down or None
            )
            for key in self.keys
            for down in [key.descending != backwards]
        ]
        if cursor is not None:
            queryset = queryset.filter(self._beyond(cursor.values, backwards))
        rows = list(queryset.order_by(*order)[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if backwards:
            rows.reverse()
        first = self._position(rows[0]) if rows else None
        last = self._position(rows[-1]) if rows else None
        self.next_cursor = self.previous_cursor = None
        if backwards:
            assert cursor is not None
            self.previous_cursor = Cursor(first, True) if more and first else None
            self.next_cursor = Cursor(last or cursor.values, False)
        else:
            self.next_cursor = Cursor(last, False) if more and last else None
            if cursor is not None:
                self.previous_cursor = Cursor(first or cursor.values, True)
        return rows

    def _position(self, row: Any) -> tuple[Any, ...]:
        return tuple(getattr(row, key.alias) for key in self.keys)

    def _beyond(self, values: Sequence[Any], backwards: bool) -> Q:
        """Rows strictly after the position (before it, `backwards`), in page order."""
        condition = Q(pk__in=[])  # nothing
        same = Q()
        for key, value in zip(self.keys, values, strict=True):
            # Going up, a larger value or an empty one comes after; going down, a smaller one.
            up = key.descending == backwards
            if value is None:
                # Empty values sort last going up: none comes after one; every value does going down.
                step = Q(pk__in=[]) if up else Q(**{f"{key.alias}__isnull": False})
            elif up:
                step = Q(**{f"{key.alias}__gt": value})
                if key.nullable:
                    step |= Q(**{f"{key.alias}__isnull": True})
            else:
                step = Q(**{f"{key.alias}__lt": value})
            condition |= same & step
            same &= (
                Q(**{f"{key.alias}__isnull": True}) if value is None else Q(**{key.alias: value})
            )
        # The same rows, said once more as a range of the first key: PostgreSQL cannot seek an
        # index with the OR above, and deep in a million rows it scanned from the start.
        first, value = self.keys[0], values[0]
        if value is not None and not first.nullable:
            up = first.descending == backwards
            condition &= Q(**{f"{first.alias}__{'gte' if up else 'lte'}": value})
        return condition

    # Cursors ----------------------------------------------------------------------------------
    def encode_cursor(self, cursor: Cursor) -> str:
        payload = {
            "o": [("-" if key.descending else "") + key.name for key in self.keys],
            "v": [_to_json(value) for value in cursor.values],
            "b": cursor.backwards,
        }
        text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
        token = base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")
        return replace_query_param(self.base_url, self.cursor_query_param, token)

    def decode_cursor(self, request: Request, names: list[str]) -> Cursor | None:
        token = request.query_params.get(self.cursor_query_param)
        if token is None or token == "":
            return None
        if len(token) > MAX_CURSOR_LENGTH:
            raise _invalid()
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            payload = json.loads(raw.decode(), parse_constant=_refuse)
        except (binascii.Error, ValueError, UnicodeDecodeError):
            raise _invalid() from None
        if not (
            isinstance(payload, dict)
            and payload.keys() == {"o", "v", "b"}
            and isinstance(payload["b"], bool)
            and isinstance(payload["v"], list)
        ):
            raise _invalid()
        if payload["o"] != names:
            raise _invalid(
                _(
                    "This cursor belongs to another ordering or other filters. Start again without it."
                )
            )
        if len(payload["v"]) != len(self.keys):
            raise _invalid()
        values = tuple(
            _from_json(key, value, self.database)
            for key, value in zip(self.keys, payload["v"], strict=True)
        )
        return Cursor(values, payload["b"])

    # The response -----------------------------------------------------------------------------
    def get_next_link(self) -> str | None:
        return self.encode_cursor(self.next_cursor) if self.next_cursor else None

    def get_previous_link(self) -> str | None:
        return self.encode_cursor(self.previous_cursor) if self.previous_cursor else None

    def get_paginated_response(self, data: Any) -> Response:
        next_link, previous_link = self.get_next_link(), self.get_previous_link()
        links = [
            f'<{url}>; rel="{rel}"'
            for url, rel in ((next_link, "next"), (previous_link, "prev"))
            if url
        ]
        headers = {"Link": ", ".join(links)} if links else None
        return Response(
            {"next": next_link, "previous": previous_link, "results": data}, headers=headers
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": _("The next page; null on the last one.")},
                "previous": {
                    **link,
                    "description": _("The page before; null on the first one."),
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": _(
                    "Where the page starts: copy it from `next` or `previous` (or the Link "
                    "header); it only works with the ordering and filters it came with."
                ),
                "schema": {"type": "string", "maxLength": MAX_CURSOR_LENGTH},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": _("Number of results per page, from 1 to %(max)d.")
                % {"max": self.max_page_size},
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


def _refuse(name: str) -> Any:
    raise ValueError(name)


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


_INTEGERS = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
}


def _from_json(key: Key, value: Any, database: str) -> Any:
    """The cursor's value for one key, as the key's field reads it; a 400 if it does not fit."""
    if value is None:
        if not key.nullable:
            raise _invalid()
        return None
    kind = key.field.get_internal_type()
    parsed: Any = None
    if kind in _INTEGERS:
        if isinstance(value, int) and not isinstance(value, bool):
            low, high = connections[database].ops.integer_field_range(kind)
            if low <= value <= high:
                parsed = value
    elif kind == "BooleanField":
        parsed = value if isinstance(value, bool) else None
    elif kind == "FloatField":
        if isinstance(value, int | float) and not isinstance(value, bool):
            parsed = float(value) if math.isfinite(value) else None  # JSON's 1e999 reads as inf
    elif isinstance(value, str) and "\x00" not in value:
        if kind == "DateTimeField":
            parsed = _parse(parse_datetime, value)
            if parsed is not None and parsed.tzinfo is None:
                parsed = None
        elif kind == "DateField":
            parsed = _parse(parse_date, value)
        elif kind == "TimeField":
            parsed = _parse(parse_time, value)
        elif kind == "DecimalField":
            try:
                parsed = decimal.Decimal(value)
            except decimal.InvalidOperation:
                parsed = None
            if parsed is not None and not _fits(parsed, key.field):
                parsed = None
        elif kind == "UUIDField":
            try:
                parsed = uuid.UUID(value)
            except ValueError:
                parsed = None
        elif kind in {"CharField", "TextField", "SlugField", "EmailField", "URLField"}:
            parsed = value
    if parsed is None:
        raise _invalid()
    return parsed


def _fits(number: decimal.Decimal, field: Any) -> bool:
    """Within the column's digits: PostgreSQL refuses to compare a numeric it cannot hold."""
    if not number.is_finite():
        return False
    try:
        DecimalValidator(field.max_digits, field.decimal_places)(number)
    except DjangoValidationError:
        return False
    return True


def _parse(parser: Any, value: str) -> Any:
    try:
        return parser(value)
    except ValueError:
        return None
