"""What case studies put on other apps' pages, through their slots: a co-op's page
(members.hooks.organisation_page), a catalogue entry's page (catalogue.hooks.software_page) and
a project's page (projects.hooks.project_page). One query each."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from casestudies import permissions, selectors


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


def project_section(request: HttpRequest, project) -> str:
    """A finished project's case study: a link to read it, for those who may; for its leads
    before there is one, the way to write it."""
    visible = selectors.case_studies_visible_to(request.user).filter(project=project)
    case_study = visible.only("slug", "title", "status").first()
    can_write = (
        case_study is None
        and project.status == project.Status.FINISHED
        and permissions.can_draft_from(request.user, project)
    )
    if case_study is None and not can_write:
        return ""
    context = {"project": project, "case_study": case_study}
    return render_to_string("casestudies/includes/project_section.html", context, request=request)


def project_software_section(request: HttpRequest, project) -> str:
    """The catalogue entries a project uses, for whoever reads the project; its managers add
    and remove them here. Two queries (three with the choices for a manager)."""
    if not permissions.can_view_software_used(request.user, project):
        return ""
    can_change = permissions.can_change_software_used(request.user, project)
    software = list(selectors.software_used(project).only("id", "slug", "name", "summary"))
    if not software and not can_change:
        return ""
    context = {
        "project": project,
        "software": software,
        "can_change": can_change,
        "choices": list(selectors.software_to_add(project)) if can_change else [],
    }
    return render_to_string("casestudies/includes/project_software.html", context, request=request)
