"""Directory search: PostgreSQL full text on a stored vector plus trigram similarity for names,
with a plain `icontains` fallback on SQLite (the embedded mode).

Both fold accents and case the same way: the vectors and the query go through `patio_unaccent()`
on PostgreSQL; on SQLite the fallback compares `field__folded` (the same function, registered on
every SQLite connection by `patio.db`) with the folded term, so "nunez" finds "Núñez" there too.

The vectors use the `simple` configuration: the network writes in two dozen languages, and
stemming for one of them would hurt the others. Terms match by prefix ("desig" finds "design").

Skill and sector names are searched in the reader's language and in English. The stored vectors
hold every language's name (one vector serves every reader, and a name typed in another language
still finds its co-op); the SQLite fallback compares the reader's column and the English one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection, connections
from django.db.models import Exists, F, Func, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import CombinedExpression, RawSQL

from members.vocabulary import name_columns, name_contains
from patio.db import fold

_TERM = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8


def _terms(text: str) -> list[str]:
    return _TERM.findall(text.lower())[:MAX_TERMS]


def _prefix_query(terms: list[str]) -> SearchQuery:
    # Terms are \w+ only, so nothing in them can break tsquery syntax. Accents are folded in
    # the database by the same function that built the stored vectors (migration 0003).
    raw = " & ".join(f"{t}:*" for t in terms)
    return SearchQuery(
        Func(Value(raw), function="patio_unaccent"), config="simple", search_type="raw"
    )


# A search ranks at most RANKED_MATCHES candidates: the first matching rows, by id.
# A text matching more (a common word, two letters) lists the best of those and says there may
# be more (docs/architecture.md, "Search ranks the first matches it finds"). Only when the
# full text finds fewer than TYPO_BELOW rows are names close to the text (typos) added.
RANKED_MATCHES = 300
WALKED = 2000
TYPO_BELOW = 25
CLOSE_NAMES = 100


def _ranked(queryset: QuerySet, text: str, terms: list[str], *, name: str) -> QuerySet:
    """PostgreSQL: rows whose stored vector matches every term as a prefix, or, when those are
    few, whose `name` is close to the text, best first, among at most RANKED_MATCHES (+
    CLOSE_NAMES) candidates.

    The candidates are read first, by index, as ids: a full-text `OR` a trigram condition in
    one query makes PostgreSQL re-read the stored vector of every row it visits, and ranking
    reads each candidate's vector once, so it must rank few."""
    query = _prefix_query(terms)
    matching = queryset.filter(search_vector=query)
    # The first rows by id, checked one by one: a common word fills the candidates there.
    first = queryset.model._base_manager.order_by("pk").values("pk")[WALKED - 1 : WALKED]
    walked = (
        matching.filter(pk__lte=Subquery(first))
        .order_by("pk")
        .values_list("pk", flat=True)[:RANKED_MATCHES]
    )
    matches = matching.order_by(_candidate_order(terms)).values_list("pk", flat=True)[
        :RANKED_MATCHES
    ]
    # Few rows are close to a typed name: collected from the trigram index, then sorted.
    close = (
        queryset.filter(**{f"{name}__trigram_word_similar": text})
        .order_by(F("pk") + 0)
        .values_list("pk", flat=True)[:CLOSE_NAMES]
    )
    candidates = _candidates(walked, matches, close)
    return (
        # The ids travel as one array parameter: as a list, Django would prepare, and psycopg
        # would place, each of up to 400 parameters, on every page of every search.
        queryset.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", (candidates,)))
        .annotate(rank=SearchRank(F("search_vector"), query) + TrigramWordSimilarity(text, name))
        .order_by("-rank", name, "id")
    )


def _candidates(walked: QuerySet, matches: QuerySet, close: QuerySet) -> list[int]:
    """The first RANKED_MATCHES matching ids, then, only if those are fewer than TYPO_BELOW, the
    ids of `close`: one query whatever the data (the pages' query counts stay constant).

    The matches are looked for first among the first WALKED rows by id (`walked`): when they
    hold RANKED_MATCHES of them, those are the first RANKED_MATCHES of all, read from a few
    hundred rows. Only otherwise is `matches` read, through the full-text index; for a word in
    a quarter of the rows that index lists tens of thousands, each a stored vector to re-read
    (31 ms against 7 ms for "Sur" at 100,000 co-ops). PostgreSQL checks each count first, as a
    one-time filter, and reads the part behind it only when it passes."""
    parts = [part.query.sql_with_params() for part in (walked, matches, close)]
    (walked_sql, walked_params), (matches_sql, matches_params), (close_sql, close_params) = parts
    # Every part is the ORM's own SQL, its values passed as parameters.
    sql = (
        f"WITH w(pk) AS MATERIALIZED ({walked_sql}), "  # noqa: S608
        "m(pk) AS MATERIALIZED (SELECT pk FROM w WHERE (SELECT count(*) FROM w) >= %s "
        f"UNION ALL SELECT x.pk FROM ({matches_sql}) AS x(pk) "
        "WHERE (SELECT count(*) FROM w) < %s) "
        "SELECT pk FROM m UNION ALL "
        f"SELECT c.pk FROM ({close_sql}) AS c(pk) "
        "WHERE (SELECT count(*) FROM m) < %s AND c.pk NOT IN (SELECT pk FROM m)"
    )
    params = (
        *walked_params,
        RANKED_MATCHES,
        *matches_params,
        RANKED_MATCHES,
        *close_params,
        TYPO_BELOW,
    )
    with connections[matches.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [pk for (pk,) in cursor.fetchall()]


def _candidate_order(terms: list[str]) -> F | CombinedExpression:
    """Candidates come in id order, so every request (and every page) of a search ranks the
    same ones. How to read them depends on how many rows match, which PostgreSQL misjudges: it
    counts a stored vector's match as cheap, though each one read is a decompressed TOAST value.

    - A term of one or two letters matches most rows: reading by id and checking each row
      finds 300 within the first few hundred rows, where the index would list every match.
    - Longer terms match few: `id + 0` stops PostgreSQL from walking the id index past
      thousands of rows that don't match, so it collects the matches from the full-text index
      and sorts only them.
    """
    if min(len(term) for term in terms) <= 2:
        return F("pk")
    return F("pk") + 0


def search_is_capped(count: int) -> bool:
    """Whether a search's `count` of results may hide more matches: it reached the cap, so
    only the first matches found were ranked (PostgreSQL only; SQLite ranks nothing)."""
    return settings.USES_POSTGRES and count >= RANKED_MATCHES


def search_organisations(queryset: QuerySet, text: str) -> QuerySet:
    terms = _terms(text)
    if not terms:
        return queryset
    if settings.USES_POSTGRES:
        return _ranked(queryset, text, terms, name="name")
    from members.models import PersonSkill

    for term in map(fold, terms):
        skilled = PersonSkill.objects.filter(
            name_contains("skill__name", term, lookup="folded__icontains"),
            person__organisation=OuterRef("pk"),
        )
        queryset = queryset.filter(
            Q(name__folded__icontains=term)
            | Q(short_description__folded__icontains=term)
            | Q(description__folded__icontains=term)
            | Q(services__folded__icontains=term)
            | Q(city__folded__icontains=term)
            | name_contains("sectors__name", term, lookup="folded__icontains")
            | Exists(skilled)
        )
    return queryset.distinct()


def search_people(queryset: QuerySet, text: str) -> QuerySet:
    terms = _terms(text)
    if not terms:
        return queryset
    if settings.USES_POSTGRES:
        return _ranked(queryset, text, terms, name="display_name")
    for term in map(fold, terms):
        queryset = queryset.filter(
            Q(display_name__folded__icontains=term)
            | Q(bio__folded__icontains=term)
            | name_contains("skills__name", term, lookup="folded__icontains")
            | Q(organisation__name__folded__icontains=term)
        )
    return queryset.distinct()


def _names(alias: str) -> str:
    """A vocabulary row's names in every language as one text (concat_ws skips the empty)."""
    columns = ", ".join(f"{alias}.{column}" for column in name_columns().values())
    return f"concat_ws(' ', {columns})"


_ORGANISATION_VECTOR = """
UPDATE members_organisation o SET search_vector =
    setweight(to_tsvector('simple', patio_unaccent(o.name)), 'A')
 || setweight(to_tsvector('simple', patio_unaccent(o.short_description)), 'B')
 || setweight(to_tsvector('simple', patio_unaccent(o.services || ' ' || o.city || ' ' || coalesce((
        SELECT string_agg(SECTOR_NAMES, ' ') FROM members_sector s
        JOIN members_organisation_sectors os ON os.sector_id = s.id
        WHERE os.organisation_id = o.id), ''))), 'B')
 || setweight(to_tsvector('simple', patio_unaccent(o.description)), 'C')
 || setweight(to_tsvector('simple', patio_unaccent(coalesce((
        SELECT string_agg(DISTINCT SKILL_NAMES || ' ' || sk.synonyms, ' ') FROM members_skill sk
        JOIN members_personskill ps ON ps.skill_id = sk.id
        JOIN members_person p ON p.id = ps.person_id
        WHERE p.organisation_id = o.id), ''))), 'D')
""".replace("SECTOR_NAMES", _names("s")).replace("SKILL_NAMES", _names("sk"))

_PERSON_VECTOR = """
UPDATE members_person p SET search_vector =
    setweight(to_tsvector('simple', patio_unaccent(p.display_name)), 'A')
 || setweight(to_tsvector('simple', patio_unaccent(coalesce((
        SELECT string_agg(SKILL_NAMES || ' ' || sk.synonyms, ' ') FROM members_skill sk
        JOIN members_personskill ps ON ps.skill_id = sk.id
        WHERE ps.person_id = p.id), ''))), 'B')
 || setweight(to_tsvector('simple', patio_unaccent(p.bio)), 'C')
 || setweight(to_tsvector('simple', patio_unaccent(coalesce((
        SELECT o.name FROM members_organisation o WHERE o.id = p.organisation_id), ''))), 'D')
""".replace("SKILL_NAMES", _names("sk"))


def refresh_search_vectors(
    *, organisation_ids: list[int] | None = None, person_ids: list[int] | None = None
) -> None:
    """Recompute stored vectors; `None` means all rows. A no-op outside PostgreSQL."""
    if not settings.USES_POSTGRES:
        return
    with connection.cursor() as cursor:
        if organisation_ids is None or organisation_ids:
            where = "" if organisation_ids is None else " WHERE o.id = ANY(%s)"
            cursor.execute(
                _ORGANISATION_VECTOR + where,
                [] if organisation_ids is None else [list(organisation_ids)],
            )
        if person_ids is None or person_ids:
            where = "" if person_ids is None else " WHERE p.id = ANY(%s)"
            cursor.execute(_PERSON_VECTOR + where, [] if person_ids is None else [list(person_ids)])


def refresh_vectors_naming(
    *, skill_ids: Sequence[int] = (), sector_ids: Sequence[int] = ()
) -> None:
    """Recompute the vectors that hold these skills' or sectors' names (renamed, or named in
    one more language). A no-op outside PostgreSQL."""
    if not settings.USES_POSTGRES:
        return
    from members.models import Organisation, PersonSkill

    people = set(
        PersonSkill.objects.filter(skill_id__in=skill_ids).values_list("person_id", flat=True)
    )
    organisations = set(
        Organisation.objects.filter(Q(sectors__in=sector_ids) | Q(people__in=people)).values_list(
            "pk", flat=True
        )
    )
    refresh_search_vectors(organisation_ids=sorted(organisations), person_ids=sorted(people))
