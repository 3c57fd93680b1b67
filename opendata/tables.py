"""The CSV files of a dump: for each, its columns (name, what it holds, how to read it) and
the rows, in one place. The CSV header and the README's column tables are both written from
these specs, so they cannot drift apart.

The README is a data document read by programs and people in every country: it stays in
English, as the column names do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from members.permissions import visible_contact_fields
from opendata import selectors
from patio.linked_data import absolute

# Rows read from the database per round trip: a million people never sit in memory at once.
CHUNK = 2000


def _each(queryset) -> Iterator[Any]:
    """A queryset's rows, read in chunks. Typed as Any: its annotations (counts) and translated
    columns (`name_en`) are attributes the type checker cannot see."""
    return queryset.iterator(chunk_size=CHUNK)


LIST_SEPARATOR = ";"
Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    # How to read a value: its format, unit or vocabulary, and what an empty cell means.
    reading: str = ""


@dataclass(frozen=True)
class Table:
    name: str  # the file is `<name>.csv`
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[], Iterable[Row]]
    count: Callable[[], int]

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]

    def cells(self, row: Row) -> list[Any]:
        """The row in the header's order, each value as the README says to read it. A row
        that names another set of columns is a bug in its spec, not a cell to leave out."""
        if row.keys() != {column.name for column in self.columns}:
            raise ValueError(f"{self.file_name}: {sorted(row)} are not its columns")
        return [cell(row[name]) for name in self.header]


def cell(value: Any) -> Any:
    """One CSV cell: empty for nothing, `true`/`false`, ISO 8601 dates and UTC times, lists
    joined by `;`; numbers stay numbers (patio.exports never touches them)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, Decimal | int | float):
        return value
    return str(value)


def _url(obj: Any) -> str:
    return absolute(obj.get_absolute_url())


def _public_slug(organisation: Any) -> str | None:
    """A co-op named from another row, only when a visitor may open it."""
    return organisation.slug if organisation is not None and organisation.is_public else None


# Columns that several files share, written once.
ID = Column("id", "The record's number in the network, which its address ends with.", "Integer.")
URL = Column("url", "The record's permanent address on the site.", "Absolute URL.")
SLUG = Column(
    "slug", "The record's identifier, which its address ends with.", "Lowercase letters, digits, -."
)
COUNTRY = Column(
    "country", "The country.", "ISO 3166-1 alpha-2 code, such as BG; empty if unknown."
)
UPDATED = Column(
    "updated_at",
    "When the record last changed.",
    "ISO 8601 time in UTC, such as 2026-12-01T09:30:00Z.",
)
MARKDOWN = "Markdown, as written on the site; empty if none."
DATE = "ISO 8601 date, such as 2026-12-01; empty if none."
TIME_UTC = "ISO 8601 time in UTC, such as 2026-12-01T09:30:00Z; empty if none."
BOOLEAN = "true or false."
COOP_SLUG = "The `slug` of a row of coops.csv; empty if none or not public."
MONEY = "Decimal number with a dot, such as 1234.50, in the row's currency."


# Co-ops -----------------------------------------------------------------------------------------
def _coop_rows() -> Iterator[Row]:
    for org in selectors.coops().iterator(chunk_size=CHUNK):
        yield {
            "slug": org.slug,
            "url": _url(org),
            "name": org.name,
            "kind": org.kind,
            "status": org.status,
            "short_description": org.short_description,
            "description": org.description,
            "services": "\n".join(org.service_list()),
            "country": str(org.country),
            "city": org.city,
            "founded": org.founded,
            "size": org.size,
            "website": org.website,
            "logo": absolute(org.logo.url) if org.logo else None,
            "sectors": [sector.slug for sector in org.sectors.all()],
            "languages": [language.code for language in org.languages.all()],
            "federations": [f.slug for f in org.federations.all() if f.is_public],
            "joined_on": org.joined_on,
            "left_on": None,
            "dissolved": None,
            "left_reason": None,
            "updated_at": org.updated_at,
        }
    # Tombstones: only what their page says to everyone. The rest stays blank.
    for org in selectors.tombstones().iterator(chunk_size=CHUNK):
        yield {
            "slug": org.slug,
            "url": _url(org),
            "name": org.name,
            "kind": org.kind,
            "status": org.status,
            "short_description": None,
            "description": None,
            "services": None,
            "country": str(org.country),
            "city": org.city,
            "founded": org.founded,
            "size": None,
            "website": None,
            "logo": None,
            "sectors": None,
            "languages": None,
            "federations": None,
            "joined_on": org.joined_on,
            "left_on": org.left_on,
            "dissolved": org.dissolved,
            "left_reason": org.left_reason,
            "updated_at": None,
        }


COOPS = Table(
    name="coops",
    title="Co-ops, federations and partners",
    description=(
        "The network's current members, as its directory lists them to everyone, then one "
        "row for each co-op that was a member and has left (its tombstone: `status` is "
        "`left`, and only its name, kind, place, founding year, dates and reason are given). "
        "Applicants and suspended co-ops are not public and are not here."
    ),
    columns=(
        SLUG,
        URL,
        Column("name", "The co-op's name."),
        Column(
            "kind",
            "What the organisation is.",
            "One of worker_coop, other_coop, federation, partner.",
        ),
        Column(
            "status",
            "Its membership of the network.",
            "member, or left for a co-op that has left (a tombstone).",
        ),
        Column("short_description", "What it does, in a sentence.", "Empty for a tombstone."),
        Column("description", "Its longer description.", MARKDOWN),
        Column("services", "The services it offers.", "One service per line."),
        COUNTRY,
        Column("city", "Its city.", "Empty if not given."),
        Column("founded", "The year it was founded.", "Four-digit year; empty if not given."),
        Column("size", "How many people work in it.", "Integer; empty if not given."),
        Column("website", "Its website.", "URL; empty if none."),
        Column("logo", "Its logo.", "Absolute URL of an image; empty if none."),
        Column(
            "sectors",
            "The sectors it works in.",
            "Sector slugs separated by ;, such as software;design.",
        ),
        Column(
            "languages",
            "Its working languages.",
            "ISO 639-1 codes (ISO 639-3 where none exists) separated by ;.",
        ),
        Column(
            "federations",
            "The federations of the network it belongs to.",
            "Slugs of rows of this file whose kind is federation, separated by ;.",
        ),
        Column("joined_on", "The day it became a member of the network.", DATE),
        Column("left_on", "The day it left the network, or was dissolved.", DATE),
        Column(
            "dissolved",
            "Whether a co-op that left no longer exists, rather than only leaving.",
            "true or false for a tombstone; empty for a member.",
        ),
        Column("left_reason", "Why it left, as the network recorded it.", "Empty if not given."),
        Column(
            "updated_at",
            "When the co-op's record last changed.",
            TIME_UTC + " Empty for a tombstone.",
        ),
    ),
    rows=_coop_rows,
    count=lambda: selectors.coops().count() + selectors.tombstones().count(),
)


# People -----------------------------------------------------------------------------------------
def _people_rows() -> Iterator[Row]:
    # Their skills and languages have files of their own: no prefetch here.
    people = selectors.public_people().select_related("organisation").order_by("id")
    for person in people.iterator(chunk_size=CHUNK):
        public = visible_contact_fields(selectors.VISITOR, person)
        yield {
            "id": person.pk,
            "url": _url(person),
            "display_name": person.display_name,
            "coop": person.organisation.slug,
            "country": str(person.country) or None,
            "participation": person.participation,
            "coop_admin": person.is_coop_admin,
            "bio": person.bio,
            "timezone": person.timezone,
            "hours_per_week": person.hours_per_week,
            "available_from": person.available_from,
            "contact_email": person.contact_email if "contact_email" in public else None,
            "phone": person.phone if "phone" in public else None,
            "chat": person.chat if "chat" in public else None,
            "website": person.website if "website" in public else None,
            "updated_at": person.updated_at,
        }


def _only_public(field: str) -> str:
    return f"Empty unless its owner made their {field} visible to everyone."


PEOPLE = Table(
    name="people",
    title="People",
    description=(
        "The people of the network's member co-ops who made their profile public, as the "
        "people directory shows them to everyone. A contact field is given only when its "
        "owner made that field public too. People whose data was erased are never here."
    ),
    columns=(
        ID,
        URL,
        Column("display_name", "The name the person goes by in the network."),
        Column("coop", "The person's home co-op.", "The `slug` of a row of coops.csv."),
        Column(
            "country", "Where the person lives.", "ISO 3166-1 alpha-2 code; empty if not given."
        ),
        Column(
            "participation",
            "Whether the person holds a current role in an active circle.",
            "active or passive.",
        ),
        Column("coop_admin", "Whether the person is an admin of their co-op.", BOOLEAN),
        Column("bio", "What the person says about themselves.", MARKDOWN),
        Column("timezone", "The person's timezone.", "IANA name, such as Europe/Sofia."),
        Column(
            "hours_per_week",
            "Hours a week the person offers for the network's work.",
            "Integer from 0 to 80.",
        ),
        Column("available_from", "From when the person is available.", DATE),
        Column("contact_email", "Email address to contact them.", _only_public("email")),
        Column("phone", "Phone number.", _only_public("phone")),
        Column("chat", "Chat handle (Matrix, Signal, XMPP…).", _only_public("chat handle")),
        Column("website", "Personal website.", _only_public("website")),
        UPDATED,
    ),
    rows=_people_rows,
    count=lambda: selectors.public_people().count(),
)


PERSON_SKILLS = Table(
    name="person_skills",
    title="Skills of people",
    description="Each skill a person of people.csv lists, with their level.",
    columns=(
        Column("person_id", "The person.", "The `id` of a row of people.csv."),
        Column("skill", "The skill.", "The `slug` of a row of skills.csv."),
        Column(
            "level",
            "How well the person knows it.",
            "1 learning, 2 practitioner, 3 expert, 4 can teach.",
        ),
        Column("years", "Years of experience with it.", "Integer; 0 if not given."),
    ),
    rows=lambda: (
        {"person_id": ps.person_id, "skill": ps.skill.slug, "level": ps.level, "years": ps.years}
        for ps in selectors.person_skills().iterator(chunk_size=CHUNK)
    ),
    count=lambda: selectors.person_skills().count(),
)


PERSON_LANGUAGES = Table(
    name="person_languages",
    title="Languages of people",
    description="Each language a person of people.csv speaks, with how well.",
    columns=(
        Column("person_id", "The person.", "The `id` of a row of people.csv."),
        Column(
            "language",
            "The language.",
            "ISO 639-1 code (ISO 639-3 where none exists), such as es.",
        ),
        Column("proficiency", "How well.", "1 basic, 2 working, 3 fluent, 4 native."),
    ),
    rows=lambda: (
        {"person_id": pl.person_id, "language": pl.language.code, "proficiency": pl.proficiency}
        for pl in selectors.person_languages().iterator(chunk_size=CHUNK)
    ),
    count=lambda: selectors.person_languages().count(),
)


SKILLS = Table(
    name="skills",
    title="Skills",
    description=(
        "The network's skills vocabulary. Where a skill is a concept of ESCO (the European "
        "classification of skills), `esco_uri` names it."
    ),
    columns=(
        SLUG,
        Column("name", "The skill's name.", "In English."),
        Column("category", "Its category's identifier.", "Lowercase letters, digits, -."),
        Column("category_name", "Its category's name.", "In English."),
        Column("synonyms", "Other names for it.", "Comma separated; empty if none."),
        Column(
            "esco_uri",
            "The ESCO concept it is.",
            "URI under http://data.europa.eu/esco/skill/; empty if none.",
        ),
        Column("people", "How many people of people.csv list it.", "Integer."),
    ),
    rows=lambda: (
        {
            "slug": skill.slug,
            "name": skill.name_en,
            "category": skill.category.slug,
            "category_name": skill.category.name_en,
            "synonyms": skill.synonyms,
            "esco_uri": skill.esco_uri,
            "people": skill.people,
        }
        for skill in _each(selectors.skills())
    ),
    count=lambda: selectors.skills().count(),
)


# Circles ----------------------------------------------------------------------------------------
CIRCLES = Table(
    name="circles",
    title="Circles",
    description="The network's circles: its areas of work, each with its purpose and domain.",
    columns=(
        SLUG,
        URL,
        Column("name", "The circle's name."),
        Column("status", "Whether the circle works now.", "active or dormant."),
        Column(
            "parent",
            "The circle it belongs to.",
            "The `slug` of a row of this file; empty at the top.",
        ),
        Column("purpose", "What the circle is for.", "Plain text."),
        Column("domain", "What the circle owns and decides.", "Plain text; empty if none."),
        Column(
            "accountabilities",
            "What the circle is counted on for.",
            "One per line.",
        ),
        Column("meeting_rhythm", "When it meets.", "Free text, such as every second Tuesday."),
        Column("members", "How many people hold a role in it today.", "Integer."),
        UPDATED,
    ),
    rows=lambda: (
        {
            "slug": circle.slug,
            "url": _url(circle),
            "name": circle.name,
            "status": circle.status,
            "parent": circle.parent.slug if circle.parent else None,
            "purpose": circle.purpose,
            "domain": circle.domain,
            "accountabilities": "\n".join(str(item) for item in circle.accountabilities or []),
            "meeting_rhythm": circle.meeting_rhythm,
            "members": circle.member_count,
            "updated_at": circle.updated_at,
        }
        for circle in _each(selectors.circles())
    ),
    count=lambda: selectors.circles().count(),
)


# Opportunities ----------------------------------------------------------------------------------
def _opportunity_rows() -> Iterator[Row]:
    for opportunity in selectors.opportunities().iterator(chunk_size=CHUNK):
        yield {
            "id": opportunity.pk,
            "url": _url(opportunity),
            "title": opportunity.title,
            "status": opportunity.status,
            "circle": opportunity.circle.slug,
            "source_coop": _public_slug(opportunity.source_coop),
            "client_coop": _public_slug(opportunity.client_organisation),
            "client_name": opportunity.client_name,
            "description": opportunity.description,
            "working_languages": [lang.code for lang in opportunity.working_languages.all()],
            "core_hours_start_utc": opportunity.core_hours_start_utc,
            "core_hours_end_utc": opportunity.core_hours_end_utc,
            "estimated_effort_hours": opportunity.estimated_effort_hours,
            "budget": opportunity.budget,
            "currency": opportunity.currency,
            "start_date": opportunity.start_date,
            "deadline": opportunity.deadline,
            "opened_at": opportunity.opened_at,
            "updated_at": opportunity.updated_at,
        }


OPPORTUNITIES = Table(
    name="opportunities",
    title="Public job opportunities",
    description=(
        "The work the network's circles offer that everyone may read: published, and public. "
        "Drafts and opportunities for members only are not here."
    ),
    columns=(
        ID,
        URL,
        Column("title", "The opportunity's title."),
        Column(
            "status",
            "Where it stands.",
            "One of open, matching, proposed (a team is proposed), staffed, closed, cancelled.",
        ),
        Column("circle", "The circle that posts it.", "The `slug` of a row of circles.csv."),
        Column("source_coop", "The member co-op bringing the work.", COOP_SLUG),
        Column("client_coop", "The client, when it is a co-op of the network.", COOP_SLUG),
        Column("client_name", "The client, when it is an outside organisation.", "Empty if none."),
        Column("description", "What the work is.", MARKDOWN),
        Column(
            "working_languages",
            "The languages the work is done in.",
            "ISO 639-1 codes separated by ;.",
        ),
        Column(
            "core_hours_start_utc",
            "Start of the hours the team must share each working day.",
            "hh:mm:ss in UTC; empty if none.",
        ),
        Column(
            "core_hours_end_utc",
            "End of those hours.",
            "hh:mm:ss in UTC; earlier than the start when the window runs past midnight.",
        ),
        Column(
            "estimated_effort_hours",
            "The whole work's estimated effort.",
            "Hours; empty if not estimated.",
        ),
        Column("budget", "The budget for the whole work.", MONEY + " Empty if none."),
        Column("currency", "The budget's currency.", "ISO 4217 code, such as EUR."),
        Column("start_date", "When the work starts.", DATE),
        Column("deadline", "When it must be done.", DATE),
        Column("opened_at", "When it was opened to people.", TIME_UTC),
        UPDATED,
    ),
    rows=_opportunity_rows,
    count=lambda: selectors.opportunities().count(),
)


def _skills_of(role: Any) -> list[str]:
    return [
        f"{requirement.skill.slug}:{requirement.min_level}" for requirement in role.skills.all()
    ]


OPPORTUNITY_ROLES = Table(
    name="opportunity_roles",
    title="Roles of the public opportunities",
    description="The roles each opportunity of opportunities.csv needs filled.",
    columns=(
        Column("opportunity_id", "The opportunity.", "The `id` of a row of opportunities.csv."),
        Column("position", "The role's place in the opportunity's list.", "Integer, from 0."),
        Column("title", "The role."),
        Column("headcount", "How many people it needs.", "Integer."),
        Column("hours_per_week", "Hours a week each of them works.", "Integer."),
        Column(
            "skills",
            "The skills it asks for, each at a minimum level.",
            "skill:level pairs separated by ;, such as python:3;sql:2, where skill is the "
            "`slug` of a row of skills.csv and level is 1 learning to 4 can teach.",
        ),
    ),
    rows=lambda: (
        {
            "opportunity_id": role.opportunity_id,
            "position": role.position,
            "title": role.title,
            "headcount": role.headcount,
            "hours_per_week": role.hours_per_week,
            "skills": _skills_of(role),
        }
        for role in selectors.opportunity_roles().iterator(chunk_size=CHUNK)
    ),
    count=lambda: selectors.opportunity_roles().count(),
)


# Decisions --------------------------------------------------------------------------------------
DECISIONS = Table(
    name="decisions",
    title="Public decisions",
    description=(
        "What the network's public assemblies decided. The decisions of assemblies for "
        "members only, and the objections raised, stay with members."
    ),
    columns=(
        ID,
        URL,
        Column("assembly_url", "The assembly that decided it.", "Absolute URL of its page."),
        Column("assembly_title", "That assembly's title."),
        Column("assembly_start", "When the assembly met.", TIME_UTC),
        Column("agenda_item", "The agenda item it answers.", "Its title; empty if none."),
        Column("text", "The decision.", MARKDOWN),
        Column("method", "How it was taken.", "consent, vote or consensus."),
        Column("outcome", "What came of it.", "adopted, rejected or deferred."),
        Column("votes_for", "Votes for.", "Integer; empty when not voted."),
        Column("votes_against", "Votes against.", "Integer; empty when not voted."),
        Column("abstentions", "Abstentions.", "Integer; empty when not voted."),
        Column(
            "without_quorum",
            "Whether the facilitator recorded it although quorum was not reached.",
            BOOLEAN,
        ),
        Column(
            "corrections",
            "How many corrections were added to it since.",
            "Integer; see decision_corrections.csv.",
        ),
        Column("recorded_at", "When it was recorded.", TIME_UTC),
    ),
    rows=lambda: (
        {
            "id": decision.pk,
            "url": _url(decision),
            "assembly_url": _url(decision.assembly),
            "assembly_title": decision.assembly.title,
            "assembly_start": decision.assembly.start,
            "agenda_item": decision.agenda_item.title if decision.agenda_item else None,
            "text": decision.text,
            "method": decision.method,
            "outcome": decision.outcome,
            "votes_for": decision.votes_for,
            "votes_against": decision.votes_against,
            "abstentions": decision.abstentions,
            "without_quorum": decision.without_quorum,
            "corrections": len(decision.corrections.all()),
            "recorded_at": decision.created_at,
        }
        for decision in selectors.decisions().iterator(chunk_size=CHUNK)
    ),
    count=lambda: selectors.decisions().count(),
)


DECISION_CORRECTIONS = Table(
    name="decision_corrections",
    title="Corrections to public decisions",
    description=(
        "A closed assembly's record is never edited: corrections are added beside it, with "
        "their reason. One row per correction of a decision of decisions.csv."
    ),
    columns=(
        Column("decision_id", "The decision.", "The `id` of a row of decisions.csv."),
        Column("text", "The correction.", MARKDOWN),
        Column("reason", "Why it was corrected.", "Plain text."),
        Column("added_at", "When the correction was added.", TIME_UTC),
    ),
    rows=lambda: (
        {
            "decision_id": correction.decision_id,
            "text": correction.text,
            "reason": correction.reason,
            "added_at": correction.created_at,
        }
        for correction in selectors.corrections().iterator(chunk_size=CHUNK)
    ),
    count=lambda: selectors.corrections().count(),
)


# The common fund --------------------------------------------------------------------------------
def _fund(part: str) -> list[Row]:
    totals = selectors.fund_totals()
    if part == "balances":
        return [
            {"currency": currency, "balance": amount}
            for currency, amount in totals["balances"].items()
        ]
    if part == "months":
        return [
            {
                "month": row["month"].strftime("%Y-%m"),
                "currency": row["currency"],
                "money_in": row["money_in"],
                "money_out": row["money_out"],
            }
            for row in totals["months"]
        ]
    return [
        {
            "circle": row["circle"],
            "currency": row["currency"],
            "payments": row["count"],
            "total": row["total"],
        }
        for row in totals["by_circle"]
    ]


CURRENCY = Column("currency", "The currency.", "ISO 4217 code, such as EUR.")
FUND_BALANCES = Table(
    name="fund_balances",
    title="The common fund's balances",
    description=(
        "What the common fund holds, per currency, from its ledger, as its public page shows. "
        "The fund's totals only: no contribution, claim or person is named."
    ),
    columns=(CURRENCY, Column("balance", "What the fund holds in it.", MONEY)),
    rows=lambda: _fund("balances"),
    count=lambda: len(_fund("balances")),
)
FUND_MONTHS = Table(
    name="fund_months",
    title="The common fund, month by month",
    description="Money into and out of the common fund per month and currency, over the last twelve months.",
    columns=(
        Column("month", "The month.", "YYYY-MM."),
        CURRENCY,
        Column("money_in", "Money received that month (contributions, corrections in).", MONEY),
        Column("money_out", "Money paid out that month (payouts, corrections out).", MONEY),
    ),
    rows=lambda: _fund("months"),
    count=lambda: len(_fund("months")),
)
FUND_CIRCLES = Table(
    name="fund_circles",
    title="The common fund's payouts by circle",
    description="What the fund has paid for work, per circle and currency, since it started.",
    columns=(
        Column("circle", "The circle the work was for.", "Its name (see circles.csv)."),
        CURRENCY,
        Column("payments", "How many payouts were made.", "Integer."),
        Column("total", "What was paid, net of reversals.", MONEY),
    ),
    rows=lambda: _fund("circles"),
    count=lambda: len(_fund("circles")),
)


TABLES: tuple[Table, ...] = (
    COOPS,
    PEOPLE,
    PERSON_SKILLS,
    PERSON_LANGUAGES,
    SKILLS,
    CIRCLES,
    OPPORTUNITIES,
    OPPORTUNITY_ROLES,
    DECISIONS,
    DECISION_CORRECTIONS,
    FUND_BALANCES,
    FUND_MONTHS,
    FUND_CIRCLES,
)
