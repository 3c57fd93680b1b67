"""Writing many directory rows fast, for the demo network and the generated one.

PostgreSQL gets COPY, with ids taken from the table's sequence first: several times faster than
`bulk_create`, whose per-object work dominates at a million rows. Elsewhere (SQLite, `make run`),
`bulk_create`. These writes send no signals and skip the services on purpose: the seeders
refresh the search vectors and the directory cache themselves once the rows are in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from enum import Enum
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from members.demo_people import PersonRow
from members.models import Organisation, Person, PersonLanguage, PersonSkill

# (organisation id, relation, target ids), relation one of M2M_COLUMNS
Link = tuple[int, str, list[int]]
M2M_COLUMNS = {
    "sectors": ("organisation_id", "sector_id"),
    "languages": ("organisation_id", "language_id"),
    "federations": ("from_organisation_id", "to_organisation_id"),
}


def insert_rows(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert rows given as {attname: value}; returns the new ids, in order."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objs = model._default_manager.bulk_create([model(**row) for row in rows], batch_size=2000)
        return [obj.pk for obj in objs]
    quote = connection.ops.quote_name
    table = model._meta.db_table
    pk = model._meta.pk
    assert pk is not None
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {
        f.attname: now
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else f.get_default()
        for f in fields
    }
    getter = itemgetter(*(f.attname for f in fields))
    # Choices are Enum members, which psycopg would write by name ("ACTIVE"), not by value.
    enums = any(isinstance(value, Enum) for value in rows[0].values())
    # JSON columns go in as their JSON text (COPY adapts no dict or list to jsonb).
    json_at = [n for n, f in enumerate(fields) if isinstance(f, models.JSONField)]
    columns = [pk.column, *(f.column for f in fields)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, len(rows)],
        )
        ids: list[int] = [row[0] for row in cursor.fetchall()]
        sql = f"COPY {quote(table)} ({_column_list(columns)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for pk_value, row in zip(ids, rows, strict=True):
                values = getter(defaults | row)
                if enums:
                    values = [_plain(value) for value in values]
                if json_at:
                    values = list(values)
                    for n in json_at:
                        values[n] = json.dumps(values[n])
                copy.write_row((pk_value, *values))
    return ids


def insert_columns(
    model: type[models.Model], columns: tuple[str, ...], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert rows given as tuples of the values of `columns` (attnames), in that order."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model._default_manager.bulk_create(objs, batch_size=2000)
        return
    by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
    names = [by_attname[name] for name in columns]
    sql = (
        f"COPY {connection.ops.quote_name(model._meta.db_table)} ({_column_list(names)}) FROM STDIN"
    )
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _column_list(columns: Iterable[str | None]) -> str:
    """The quoted columns of a COPY (every concrete field has a column)."""
    quoted = []
    for column in columns:
        assert column is not None
        quoted.append(connection.ops.quote_name(column))
    return ", ".join(quoted)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def link_m2m(rows: list[Link]) -> None:
    """Insert (organisation id, relation, target ids) into the through tables."""
    for relation, names in M2M_COLUMNS.items():
        insert_columns(
            getattr(Organisation, relation).through,
            names,
            [
                (org_id, target_id)
                for org_id, rel, target_ids in rows
                if rel == relation
                for target_id in target_ids
            ],
        )


def insert_people(rows: list[PersonRow]) -> list[int]:
    """Insert people with their skills and languages; returns the new person ids."""
    ids = insert_rows(Person, [fields for fields, _skills, _languages in rows])
    insert_columns(
        PersonSkill,
        ("person_id", "skill_id", "level", "years"),
        [
            (pk, skill_id, level, years)
            for pk, (_f, skills, _l) in zip(ids, rows, strict=True)
            for skill_id, level, years in skills
        ],
    )
    insert_columns(
        PersonLanguage,
        ("person_id", "language_id", "proficiency"),
        [
            (pk, language_id, level)
            for pk, (_f, _s, languages) in zip(ids, rows, strict=True)
            for language_id, level in languages
        ],
    )
    return ids


def analyze(*, vacuum: bool = False) -> None:
    """Refresh the planner's statistics; after a bulk load they describe nearly empty tables,
    and the vector update's subqueries then pick sequential scans."""
    if not settings.USES_POSTGRES:
        return
    tables = [
        model._meta.db_table
        for model in (
            Organisation,
            Organisation.sectors.through,
            Organisation.languages.through,
            Organisation.federations.through,
            Person,
            PersonSkill,
            PersonLanguage,
        )
    ]
    # VACUUM also clears the dead rows the vector update leaves; it cannot run in a transaction.
    verb = "VACUUM (ANALYZE)" if vacuum and not connection.in_atomic_block else "ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(f"{verb} {', '.join(connection.ops.quote_name(t) for t in tables)}")
