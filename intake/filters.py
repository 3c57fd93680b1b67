"""Filters of the triage inbox, shared by the page and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from intake.models import HelpRequest
from patio.filters import FilterSet


class HelpRequestFilter(FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=HelpRequest.Status.choices, empty_label=_("Any status")
    )
    need = django_filters.ChoiceFilter(
        label=_("Need"), choices=HelpRequest.Need.choices, empty_label=_("Any need")
    )

    class Meta:
        model = HelpRequest
        fields = ["status", "need"]
