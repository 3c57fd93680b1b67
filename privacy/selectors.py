"""Reads for the privacy pages and the export: what the platform holds about one person."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from allauth.account.models import EmailAddress
from django.db.models import Q, QuerySet

from assemblies.models import Attendance, Rsvp
from audit.models import AuditEvent
from catalogue.models import MaintenanceContact
from circles.models import CircleMembership, MembershipRequest
from fund.models import Contribution, PayoutClaim
from members import vocabulary
from members.models import Person, PersonLanguage, PersonSkill
from members.permissions import person_of
from notifications.models import Notification
from policies.models import ConsentResponse
from privacy.models import DataExport
from projects.models import Interest, TeamMembership

if TYPE_CHECKING:
    from accounts.models import AnyUser

Rows = list[dict[str, Any]]

PROFILE_FIELDS = (
    "id",
    "display_name",
    "bio",
    "country",
    "timezone",
    "language",
    "hours_per_week",
    "available_from",
    "open_to_matching",
    "workday_start",
    "workday_end",
    "participation",
    "profile_visibility",
    "is_coop_admin",
    "email_choices",
    "contact_email",
    "contact_email_visibility",
    "phone",
    "phone_visibility",
    "chat",
    "chat_visibility",
    "website",
    "website_visibility",
    "created_at",
    "updated_at",
)


def exports_of(user: AnyUser | None) -> QuerySet[DataExport]:
    """The reader's own downloads, newest first; nobody else's, whoever asks."""
    person = person_of(user)
    if person is None:
        return DataExport.objects.none()
    return DataExport.objects.filter(person=person).order_by("-created_at", "-id")


def profile(person: Person) -> dict[str, Any]:
    row: dict[str, Any] = {name: getattr(person, name) for name in PROFILE_FIELDS}
    row["country"] = str(person.country or "")
    row["co_op"] = person.organisation.name
    if person.user is not None:
        row["account"] = {
            "email": person.user.email,
            "date_joined": person.user.date_joined,
            "last_login": person.user.last_login,
            "email_addresses": list(
                EmailAddress.objects.filter(user=person.user).values("email", "verified", "primary")
            ),
        }
    return row


def _values(queryset: QuerySet[Any], *fields: str) -> Rows:
    return list(queryset.values(*fields))


def skills(person: Person) -> Rows:
    """Skills and categories by their English names, as the network stores its records (their
    `skill__name` column holds whichever language a row was last saved in)."""
    names = {
        key: vocabulary.column(key, vocabulary.ENGLISH)
        for key in ("skill__name", "skill__category__name")
    }
    rows = _values(
        PersonSkill.objects.filter(person=person).order_by(names["skill__name"], "id"),
        *names.values(),
        "level",
        "years",
    )
    return [
        {
            **{key: row[column] for key, column in names.items()},
            "level": row["level"],
            "years": row["years"],
        }
        for row in rows
    ]


def languages(person: Person) -> Rows:
    return _values(
        PersonLanguage.objects.filter(person=person).order_by("language__code"),
        "language__code",
        "language__name",
        "proficiency",
    )


def circle_memberships(person: Person) -> Rows:
    return _values(
        CircleMembership.objects.filter(person=person).order_by("start_date", "id"),
        "circle__name",
        "role",
        "hours_per_month",
        "duties",
        "start_date",
        "end_date",
    )


def circle_requests(person: Person) -> Rows:
    return _values(
        MembershipRequest.objects.filter(person=person).order_by("id"),
        "circle__name",
        "kind",
        "message",
        "status",
    )


def team_memberships(person: Person) -> Rows:
    return _values(
        TeamMembership.objects.filter(person=person).order_by("created_at", "id"),
        "project__name",
        "role__title",
        "status",
        "hours_per_week",
        "start_date",
        "end_date",
    )


def interests(person: Person) -> Rows:
    return _values(
        Interest.objects.filter(person=person).order_by("created_at", "id"),
        "opportunity__title",
        "note",
        "created_at",
    )


def rsvps(person: Person) -> Rows:
    return _values(
        Rsvp.objects.filter(person=person).order_by("assembly__start", "id"),
        "assembly__title",
        "assembly__start",
        "answer",
        "updated_at",
    )


def attendances(person: Person) -> Rows:
    return _values(
        Attendance.objects.filter(person=person).order_by("assembly__start", "id"),
        "assembly__title",
        "assembly__start",
        "recorded_at",
    )


def consent_responses(person: Person) -> Rows:
    return _values(
        ConsentResponse.objects.filter(person=person).order_by("created_at", "id"),
        "round__amendment__title",
        "round__number",
        "answer",
        "reason",
        "resolution",
        "created_at",
    )


def claims(person: Person) -> Rows:
    return _values(
        PayoutClaim.objects.filter(person=person).order_by("created_at", "id"),
        "id",
        "circle__name",
        "period_start",
        "period_end",
        "hours",
        "amount",
        "currency",
        "description",
        "status",
        "show_name_publicly",
        "rejection_reason",
        "submitted_at",
        "decided_at",
        "paid_at",
    )


def maintenance_contacts(person: Person) -> Rows:
    """The catalogue entries this person agreed to be named a maintenance contact of."""
    return _values(
        MaintenanceContact.objects.filter(person=person).order_by("software__name", "id"),
        "software__name",
        "software__slug",
        "created_at",
    )


def contributions(person: Person) -> Rows:
    """The contributions this person recorded for their co-op."""
    if person.user_id is None:
        return []
    return _values(
        Contribution.objects.filter(recorded_by_id=person.user_id).order_by("received_on", "id"),
        "id",
        "organisation__name",
        "amount",
        "currency",
        "received_on",
        "method",
        "note",
        "created_at",
    )


def notifications(person: Person) -> Rows:
    """Their in-app notifications: what was emailed to them, or held for their digest."""
    return _values(
        Notification.objects.filter(recipient=person).order_by("created_at", "id"),
        "kind",
        "title",
        "url",
        "digest",
        "created_at",
        "read_at",
        "digest_sent_at",
    )


def audit_about(person: Person) -> QuerySet[AuditEvent]:
    """Audit events about this person or their account. Not every event they made: those are
    about other people and things, and may hold others' data."""
    about = Q(object_type="members.person", object_id=str(person.pk))
    if person.user_id is not None:
        about |= Q(object_type="accounts.user", object_id=str(person.user_id))
    return AuditEvent.objects.filter(about, confidential=False).order_by("at", "id")


def audit_events(person: Person) -> Rows:
    rows = _values(
        audit_about(person),
        "at",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "actor_id",
        "before",
        "after",
    )
    # Who else acted is theirs, not this person's: say only whether it was them.
    for row in rows:
        row["by_me"] = row.pop("actor_id") == person.user_id
    return rows


@dataclass(frozen=True)
class Section:
    """One part of the download: a file in the ZIP (CSV, or JSON when `csv` is off)."""

    name: str
    read: Callable[[Person], Rows]
    csv: bool = True


# The order the task works through, and the progress it reports.
SECTIONS: tuple[Section, ...] = (
    Section("skills", skills),
    Section("languages", languages),
    Section("circle_memberships", circle_memberships),
    Section("circle_requests", circle_requests),
    Section("team_memberships", team_memberships),
    Section("interests", interests),
    Section("rsvps", rsvps),
    Section("attendances", attendances),
    Section("consent_responses", consent_responses),
    Section("claims", claims),
    Section("contributions", contributions),
    Section("maintenance_contacts", maintenance_contacts),
    Section("notifications", notifications),
    Section("audit_events", audit_events, csv=False),
)


def sections() -> tuple[Section, ...]:
    """Everything the download holds: privacy's own sections, then those the apps above it
    registered (`privacy.hooks.register_export_section`), audit events last."""
    from privacy.hooks import export_sections

    *own, audit = SECTIONS
    return (*own, *export_sections(), audit)
