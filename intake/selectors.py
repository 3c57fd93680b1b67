"""Reads of requests for help shared by the inbox page and the API, scoped to the caller."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from intake.models import HelpRequest
from intake.permissions import can_triage

if TYPE_CHECKING:
    from accounts.models import AnyUser


def help_request_list(user: AnyUser | None) -> QuerySet[HelpRequest]:
    """Every request, newest first, for triagers; nothing for anyone else."""
    if not can_triage(user):
        return HelpRequest.objects.none()
    return (
        HelpRequest.objects.select_related("handled_by", "opportunity")
        .prefetch_related("preferred_languages")
        .order_by("-created_at", "-id")
    )


def help_request_detail(user: AnyUser | None) -> QuerySet[HelpRequest]:
    return help_request_list(user)
