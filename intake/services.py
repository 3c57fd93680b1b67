"""Every write to requests for help: named verbs, keyword-only, atomic, audited."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from circles.models import Circle
from intake import permissions
from intake.models import HelpRequest, ProviderNotice
from intake.tasks import (
    send_help_request_ack,
    send_help_request_provider_notices,
    send_help_request_reply,
)
from members.permissions import person_of
from patio import outbox
from projects.services.opportunities import opportunity_create

if TYPE_CHECKING:
    from accounts.models import AnyUser
    from catalogue.models import Software
    from members.models import Language, Organisation
    from projects.models import Opportunity

SUBMITTED_FIELDS = (
    "organisation_name",
    "contact_name",
    "contact_email",
    "country",
    "need",
    "description",
    "budget_range",
    "timeline",
)


MAX_PROVIDERS = 10  # more than any entry lists today; a request is not a mailing list


class AlreadyHandled(ValidationError):
    """Someone else answered, declined or converted the request meanwhile (the API's 409)."""


@transaction.atomic
def help_request_submit(
    *,
    actor: AnyUser | None = None,
    data: dict[str, Any],
    languages: Iterable[Language] = (),
    language: str,
    software: Software | None = None,
    providers: Iterable[Organisation] = (),
) -> HelpRequest:
    """Store a request from the public form or API and acknowledge it by email after commit.

    `software` is the catalogue entry it is about and `providers` the co-ops among that entry's
    providers whose contacts are told, by email after commit; with none, the triagers decide.

    Anyone may call this: abuse is held off by the callers (honeypot, fill time, rate limits).
    `actor` is whoever sent it, usually a visitor; a logged-in sender is named in the audit."""
    unknown = set(data) - set(SUBMITTED_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    chosen = _check_providers(software, providers)
    help_request = HelpRequest(**data, language=language, software=software)
    help_request.full_clean(exclude=["preferred_languages", "providers"])
    help_request.save()
    help_request.preferred_languages.set(languages)
    ProviderNotice.objects.bulk_create(
        ProviderNotice(help_request=help_request, organisation=organisation)
        for organisation in chosen
    )
    audit_record(
        actor=actor,
        action="help_request.submit",
        target=help_request,
        after={
            "organisation": help_request.organisation_name,
            "need": help_request.need,
            "software": software.slug if software else None,
            "providers": [organisation.slug for organisation in chosen],
        },
    )
    outbox.enqueue(send_help_request_ack, help_request.pk)
    if chosen:
        outbox.enqueue(send_help_request_provider_notices, help_request.pk)
    return help_request


def _check_providers(
    software: Software | None, providers: Iterable[Organisation]
) -> list[Organisation]:
    """The chosen co-ops, once each, if every one provides the published entry asked about."""
    chosen = list({organisation.pk: organisation for organisation in providers}.values())
    if software is not None and software.status != software.Status.PUBLISHED:
        raise ValidationError({"software": _("Choose a published catalogue entry.")})
    if not chosen:
        return []
    if software is None:
        raise ValidationError({"providers": _("Providers are chosen for a catalogue entry.")})
    if len(chosen) > MAX_PROVIDERS:
        raise ValidationError(
            {"providers": _("Choose at most %(n)d providers.") % {"n": MAX_PROVIDERS}}
        )
    listed = set(software.providers.values_list("organisation_id", flat=True))
    strangers = [organisation.name for organisation in chosen if organisation.pk not in listed]
    if strangers:
        raise ValidationError(
            {
                "providers": _("Not a provider of %(software)s: %(names)s")
                % {"software": software.name, "names": ", ".join(strangers)}
            }
        )
    return sorted(chosen, key=lambda organisation: (organisation.name, organisation.pk))


def _claim(
    help_request: HelpRequest, *, actor: AnyUser, from_states: Iterable[str], **changes: Any
) -> None:
    """Move the request on only if it is still in one of `from_states` (one conditional UPDATE:
    two triagers acting at once cannot both win)."""
    now = timezone.now()
    claimed = HelpRequest.objects.filter(pk=help_request.pk, status__in=from_states).update(
        handled_by=person_of(actor), handled_at=now, updated_at=now, **changes
    )
    if claimed != 1:
        current = HelpRequest.objects.get(pk=help_request.pk)
        raise AlreadyHandled(
            _("This request has already been handled: it is now “%(status)s”.")
            % {"status": current.get_status_display()},
            code="already_handled",
        )
    for name, value in {"handled_by": person_of(actor), "handled_at": now, **changes}.items():
        setattr(help_request, name, value)


@transaction.atomic
def help_request_answer(*, actor: AnyUser, help_request: HelpRequest, message: str) -> HelpRequest:
    """Write back to the requester; the message is emailed after commit."""
    if not permissions.can_triage(actor):
        raise PermissionDenied
    message = (message or "").strip()
    if not message:
        raise ValidationError({"answer": _("Write the answer to send.")})
    HelpRequest(answer=message).clean_fields(exclude=_all_but("answer"))
    before = help_request.status
    _claim(
        help_request,
        actor=actor,
        from_states=HelpRequest.ANSWERABLE,
        status=HelpRequest.Status.ANSWERED,
        answer=message,
    )
    audit_record(
        actor=actor,
        action="help_request.answer",
        target=help_request,
        before={"status": before},
        after={"status": help_request.status},
    )
    outbox.enqueue(send_help_request_reply, help_request.pk)
    return help_request


@transaction.atomic
def help_request_decline(*, actor: AnyUser, help_request: HelpRequest, reason: str) -> HelpRequest:
    """Decline with a reason; the reason is emailed to the requester after commit."""
    if not permissions.can_triage(actor):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"decline_reason": _("Say why the request is declined.")})
    HelpRequest(decline_reason=reason).clean_fields(exclude=_all_but("decline_reason"))
    before = help_request.status
    _claim(
        help_request,
        actor=actor,
        from_states=HelpRequest.DECLINABLE,
        status=HelpRequest.Status.DECLINED,
        decline_reason=reason,
    )
    audit_record(
        actor=actor,
        action="help_request.decline",
        target=help_request,
        before={"status": before},
        after={"status": help_request.status},
    )
    outbox.enqueue(send_help_request_reply, help_request.pk)
    return help_request


def opportunity_draft_from(help_request: HelpRequest) -> dict[str, Any]:
    """The opportunity fields a request fills in (the budget stays unset: a range is no budget)."""
    lines = [
        help_request.get_need_display(),
        "",
        help_request.description,
        "",
        _("Budget range: %(range)s") % {"range": help_request.get_budget_range_display()},
        _("Timeline: %(timeline)s") % {"timeline": help_request.get_timeline_display()},
        # The field gives a Country; the stubs' plugin sees the str column under it.
        _("Country: %(country)s") % {"country": help_request.country.name},  # type: ignore[attr-defined]
    ]
    title = _("%(need)s for %(organisation)s") % {
        "need": help_request.get_need_display(),
        "organisation": help_request.organisation_name,
    }
    return {
        "title": title[:200],
        "description": "\n".join(lines),
        "client_name": help_request.organisation_name,
        "working_languages": list(help_request.preferred_languages.all()),
    }


@transaction.atomic
def help_request_convert(
    *, actor: AnyUser, help_request: HelpRequest, circle: Circle
) -> Opportunity:
    """Turn a request into a draft opportunity posted by `circle` and link the two.

    The request is claimed first (a conditional UPDATE), so a request converted or declined
    meanwhile is refused; if creating the opportunity fails, the claim rolls back with it."""
    if not permissions.can_triage(actor) or not permissions.can_convert_into(actor, circle):
        raise PermissionDenied(_("You cannot post opportunities for this circle."))
    before = help_request.status
    _claim(
        help_request,
        actor=actor,
        from_states=HelpRequest.CONVERTIBLE,
        status=HelpRequest.Status.CONVERTED,
    )
    opportunity = opportunity_create(
        actor=actor, circle=circle, data=opportunity_draft_from(help_request), roles=[]
    )
    HelpRequest.objects.filter(pk=help_request.pk).update(
        opportunity=opportunity, updated_at=timezone.now()
    )
    help_request.opportunity = opportunity
    audit_record(
        actor=actor,
        action="help_request.convert",
        target=help_request,
        before={"status": before},
        after={"status": help_request.status, "opportunity": opportunity.pk, "circle": circle.slug},
    )
    return opportunity


def _all_but(name: str) -> list[str]:
    return [f.name for f in HelpRequest._meta.concrete_fields if f.name != name]


# Retention ---------------------------------------------------------------------------------------
# What a closed request keeps once its retention period is over: what was asked for, in broad
# terms, for the network's statistics. Who asked, how to reach them and the free texts (which
# often name people) are cleared.
ANONYMISED_NAME = "—"


def _months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same instant `months` calendar months earlier (the 31st falls back to the month's end)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@transaction.atomic
def help_requests_anonymise_closed(*, now: datetime.datetime | None = None) -> int:
    """Anonymise the requests closed (answered, declined or converted) longer ago than
    `HELP_REQUEST_RETENTION_MONTHS`. Idempotent: a second run (or two at once) writes the same
    values and finds nothing more to do. Returns how many requests were anonymised."""
    cutoff = _months_before(now or timezone.now(), settings.HELP_REQUEST_RETENTION_MONTHS)
    closed = [s for s in HelpRequest.Status.values if s != HelpRequest.Status.NEW]
    due = (
        HelpRequest.objects.filter(status__in=closed)
        .filter(Q(handled_at__lt=cutoff) | Q(handled_at__isnull=True, created_at__lt=cutoff))
        .exclude(contact_name=ANONYMISED_NAME, contact_email="")
    )
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return 0
    count = HelpRequest.objects.filter(pk__in=ids).update(
        contact_name=ANONYMISED_NAME,
        contact_email="",
        description="",
        answer="",
        decline_reason="",
        updated_at=timezone.now(),
    )
    # One event for the run: the rows themselves now say nothing about anyone.
    audit_record(
        actor=None,
        action="help_request.anonymise",
        target=HelpRequest.objects.get(pk=ids[0]),
        after={"count": count, "ids": ids, "cutoff": cutoff.isoformat()},
    )
    return count
