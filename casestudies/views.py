"""The case-study pages and "Hire the network". Each write goes through a service; each lookup
through a scoped helper."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries import countries

from casestudies import linked_data, permissions, selectors, services
from casestudies.forms import CaseStudyForm, ConsentForm, DraftForm, PublishForm
from casestudies.models import CaseStudy
from casestudies.search import search_case_studies
from catalogue.models import Service, Software
from intake.forms import HelpRequestForm
from members import vocabulary
from members.glance import network_at_a_glance
from patio.charts import bar_chart
from patio.forms import add_service_errors
from patio.linked_data import respond
from projects.models import Project

PAGE_SIZE = 20
QUERY_MAX = 200


def _case_study_for(user, slug: str) -> CaseStudy:
    """The one way views look a case study up: 404 when the reader may not see it."""
    return get_object_or_404(selectors.case_study_detail(user), slug=slug)


def _editable(user, slug: str) -> CaseStudy:
    case_study = _case_study_for(user, slug)
    if not permissions.can_edit_case_study(user, case_study):
        raise PermissionDenied
    return case_study


def case_study_list(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:QUERY_MAX]
    case_studies = selectors.case_study_list(request.user)
    if query:
        case_studies = search_case_studies(case_studies, query)
    page = Paginator(case_studies, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "to_write_up": list(selectors.projects_to_write_up(request.user)[:10]),
    }
    return render(request, "casestudies/list.html", context)


def case_study_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A case study's page, or (published ones) its schema.org JSON-LD by `Accept`."""
    case_study = _case_study_for(request.user, slug)
    document = linked_data.case_study_document(case_study) if case_study.is_published else None
    return respond(request, document, lambda document: _detail_page(request, case_study, document))


def _detail_page(
    request: HttpRequest,
    case_study: CaseStudy,
    document: dict | None,
    *,
    publish_form: PublishForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "case_study": case_study,
        "linked_data": document,
        "coops": list(case_study.coops.all()),
        "skills": list(case_study.skills.all()),
        "software": list(case_study.software.all()),
        "countries": [countries.name(code) or code for code in case_study.countries],
        "can_edit": permissions.can_edit_case_study(request.user, case_study),
        "publish_form": publish_form or PublishForm(),
    }
    return render(request, "casestudies/detail.html", context, status=status)


@login_required
def case_study_new(request: HttpRequest, project_id: int) -> HttpResponse:
    """Draft the case study of a finished project: the page shows what will be copied from
    it, and the lead picks the software it used."""
    project = selectors.project_for_draft(project_id)
    if project is None:
        raise Http404
    if not permissions.can_draft_from(request.user, project):
        raise PermissionDenied
    existing = CaseStudy.objects.filter(project=project).only("slug").first()
    if existing is not None:
        return redirect(existing)
    form = DraftForm(
        request.POST or None,
        initial={"title": project.name, "software": list(selectors.software_used(project))},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case_study = services.case_study_create(
                actor=request.user,
                project=project,
                title=form.cleaned_data["title"],
                software=list(form.cleaned_data["software"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The draft is saved with what the project was. Write its story and outcome."),
            )
            return redirect("casestudies:edit", case_study.slug)
    people = selectors.team_people(project)
    coops = list({p.organisation_id: p.organisation for p in people if p.organisation}.values())
    started, finished = selectors.team_dates(project)
    context = {
        "form": form,
        "project": project,
        "finished": project.status == project.Status.FINISHED,
        "coops": coops,
        "countries": sorted({countries.name(c.country) for c in coops if c.country}),
        "skills": selectors.team_skills(project),
        "phases": [str(project.Phase(code).label) for code in selectors.team_phases(project)],
        "started": started,
        "ended": finished,
    }
    return render(request, "casestudies/new.html", context)


@login_required
def case_study_edit(request: HttpRequest, slug: str) -> HttpResponse:
    case_study = _editable(request.user, slug)
    initial = {
        "title": case_study.title,
        "summary": case_study.summary,
        "story": case_study.story,
        "outcome": case_study.outcome,
        "software": list(case_study.software.all()),
    }
    form = CaseStudyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_study_update(
                actor=request.user, case_study=case_study, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case study is saved."))
            return redirect(case_study)
    return render(request, "casestudies/form.html", {"form": form, "case_study": case_study})


@login_required
def case_study_consent(request: HttpRequest, slug: str) -> HttpResponse:
    case_study = _editable(request.user, slug)
    initial = {
        "method": case_study.consent_method,
        "given_by": case_study.consent_given_by,
        "note": case_study.consent_note,
    }
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_study_record_consent(
                actor=request.user, case_study=case_study, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The client's permission is recorded."))
            return redirect(case_study)
    return render(request, "casestudies/consent.html", {"form": form, "case_study": case_study})


@login_required
@require_POST
def case_study_publish(request: HttpRequest, slug: str) -> HttpResponse:
    case_study = _editable(request.user, slug)
    try:
        services.case_study_publish(actor=request.user, case_study=case_study)
    except ValidationError as error:
        form = PublishForm(data={})
        form.is_valid()
        for message in error.messages:
            form.add_error(None, message)
        return _detail_page(request, case_study, None, publish_form=form)
    messages.success(request, _("The case study is published: everyone can read it now."))
    return redirect(case_study)


@login_required
@require_POST
def case_study_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    case_study = _editable(request.user, slug)
    try:
        services.case_study_withdraw(actor=request.user, case_study=case_study)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The case study is withdrawn: only its team can read it now."))
    return redirect(case_study)


def hire(request: HttpRequest) -> HttpResponse:
    """ "Hire the network", for co-ops outside it: what the network does and knows (counted off
    the request, from the cache), the work it has done, the catalogue and the request form."""
    glance = network_at_a_glance()
    by_country = [
        (countries.name(row["country"]) or row["country"], row["n"]) for row in glance["by_country"]
    ]
    categories = sorted(
        (
            (vocabulary.pick(row["names"]), row["n"])
            for row in glance["people_by_category"]
            if row["n"]
        ),
        key=lambda item: -item[1],
    )
    services_offered = [
        {**row, "label": str(Service(row["code"]).label)} for row in selectors.services_offered()
    ]
    context = {
        "glance": glance,
        "category_chart": bar_chart(categories, title=_("People by skill category")),
        "country_chart": bar_chart(by_country[:15], title=_("Co-ops by country (top 15)")),
        "services": services_offered,
        "featured": selectors.featured(),
        "counts": selectors.counts(),
        "form": HelpRequestForm(),
    }
    return render(request, "casestudies/hire.html", context)


# The software a project uses -----------------------------------------------------------------
def _project_for(user, project_id: int):
    """A project the reader may see (404 otherwise)."""
    project = get_object_or_404(Project, pk=project_id)
    if not permissions.can_view_software_used(user, project):
        raise Http404
    return project


@login_required
@require_POST
def project_software_add(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project_for(request.user, project_id)
    if not permissions.can_change_software_used(request.user, project):
        raise PermissionDenied
    slug = (request.POST.get("software") or "")[:200]
    software = Software.objects.filter(slug=slug, status=Software.Status.PUBLISHED).first()
    if software is None:
        messages.error(request, _("Choose a published entry of the catalogue."))
    else:
        services.project_software_add(actor=request.user, project=project, software=software)
        messages.success(request, _("%(name)s is listed as used.") % {"name": software.name})
    return redirect(f"{project.get_absolute_url()}#software-used")


@login_required
@require_POST
def project_software_remove(request: HttpRequest, project_id: int, slug: str) -> HttpResponse:
    project = _project_for(request.user, project_id)
    if not permissions.can_change_software_used(request.user, project):
        raise PermissionDenied
    software = get_object_or_404(Software, slug=slug)
    if not services.project_software_remove(actor=request.user, project=project, software=software):
        raise Http404
    messages.success(request, _("%(name)s is no longer listed.") % {"name": software.name})
    return redirect(f"{project.get_absolute_url()}#software-used")
