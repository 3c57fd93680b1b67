"""What case studies put on other apps' pages, through their slots: a co-op's page
(members.hooks.organisation_page) and a catalogue entry's page (catalogue.hooks.software_page).
One query each."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from casestudies import selectors


def _section(request: HttpRequest, key: str, heading: str, case_studies) -> str:
    if not case_studies:
        return ""
    context = {"key": key, "heading": heading, "case_studies": case_studies}
    return render_to_string("casestudies/includes/section.html", context, request=request)


def coop_section(request: HttpRequest, organisation) -> str:
    return _section(
        request,
        "coop-case-studies",
        _("Case studies"),
        selectors.published_for_coop(organisation),
    )


def software_section(request: HttpRequest, software) -> str:
    return _section(
        request,
        "software-case-studies",
        _("Projects that used it"),
        selectors.published_for_software(software),
    )
