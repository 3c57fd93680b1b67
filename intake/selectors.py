"""Reads of requests for help shared by the inbox page and the API, scoped to the caller."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from intake.models import HelpRequest, ProviderNotice
from intake.permissions import can_triage

if TYPE_CHECKING:
    from accounts.models import AnyUser


def help_request_list(user: AnyUser | None) -> QuerySet[HelpRequest]:
    """Every request, newest first, for triagers; nothing for anyone else."""
    if not can_triage(user):
        return HelpRequest.objects.none()
    notices = ProviderNotice.objects.select_related("organisation").prefetch_related("told")
    return (
        HelpRequest.objects.select_related("handled_by", "opportunity", "software")
        .prefetch_related(
            "preferred_languages",
            Prefetch("provider_notices", queryset=notices.order_by("organisation__name", "id")),
        )
        .order_by("-created_at", "-id")
    )


def help_request_detail(user: AnyUser | None) -> QuerySet[HelpRequest]:
    return help_request_list(user)
