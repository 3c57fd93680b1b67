"""Pages of the technology catalogue: find, compare, read, add and edit entries, list a co-op
as a provider or user, import and export publiccode.yml, and ask a provider for help."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalogue import linked_data, permissions, publiccode, selectors, services
from catalogue.filters import SoftwareFilter
from catalogue.forms import (
    HelpForm,
    ImportForm,
    ProviderForm,
    SoftwareEditForm,
    SoftwareForm,
    UseForm,
)
from catalogue.hooks import software_page
from catalogue.models import Provider, Service, Software, SoftwareUse
from members.permissions import is_member, person_of
from patio.forms import add_service_errors
from patio.linked_data import respond
from patio.slugs import former_holder

PAGE_SIZE = 24


def _software_for(user, slug: str, *, edit: bool = False) -> Software:
    """The one way views look up an entry: 404 when the reader may not see it, 403 to edit."""
    software = selectors.software_detail(user).filter(slug=slug).first()
    if software is None:
        raise Http404
    if edit and not permissions.can_edit_software(user, software):
        raise PermissionDenied
    return software


def software_list(request: HttpRequest) -> HttpResponse:
    filterset = SoftwareFilter(
        request.GET, queryset=selectors.software_list(request.user), request=request
    )
    queryset = filterset.qs if filterset.is_valid() else Software.objects.none()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "can_add": permissions.can_add_software(request.user),
        "compare_max": selectors.COMPARE_MAX,
    }
    template = "catalogue/list.html"
    if getattr(request, "htmx", False) and not request.htmx.boosted:  # type: ignore[attr-defined]
        template = "catalogue/includes/results.html"
    return render(request, template, context)


def software_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An entry's permanent address: its page, or its JSON-LD by `Accept`; a 301 from a slug
    it had before."""
    software = selectors.software_detail(request.user).filter(slug=slug).first()
    if software is None:
        moved = former_holder(selectors.software_visible_to(request.user), slug)
        if moved is None:
            raise Http404
        return redirect(moved, permanent=True)
    document = None
    if software.is_published:
        public = software if not is_member(request.user) else _public_copy(software)
        document = linked_data.software_document(public)
    coop = permissions.listable_coop(request.user)
    providers = list(software.providers.all())
    own = person_of(request.user)
    contacts = list(software.contacts.all())
    maintenance = publiccode.maintenance(software)

    def page(document):
        context = {
            "software": software,
            "linked_data": document,
            "providers": providers,
            "uses": list(software.uses.all()),
            "can_edit": permissions.can_edit_software(request.user, software),
            "coop": coop,
            "coop_provides": coop is not None
            and any(p.organisation_id == coop.pk for p in providers),
            "coop_uses": coop is not None
            and any(u.organisation_id == coop.pk for u in software.uses.all()),
            "help_form": HelpForm(providers=providers),
            "maintenance": maintenance,
            "contractors": [
                (c["name"], datetime.date.fromisoformat(c["until"]))
                for c in maintenance.get("contractors", [])
            ],
            "own_person_id": own.pk if own else None,
            "contacts": contacts,
            "can_be_contact": permissions.can_list_self_as_contact(request.user, software),
            "is_contact": own is not None and any(c.person_id == own.pk for c in contacts),
            "sections": software_page.render(request, software),
        }
        return render(request, "catalogue/detail.html", context)

    return respond(request, document, page)


def _public_copy(software: Software) -> Software:
    """The entry as a visitor reads it, for its JSON-LD: members see co-ops visitors don't."""
    return selectors.software_detail(None).get(pk=software.pk)


@login_required
def software_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_add_software(request.user):
        raise PermissionDenied
    form = SoftwareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data, m2m = form.service_input()
        try:
            software = services.software_create(actor=request.user, data=data, m2m=m2m)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The entry is in the catalogue."))
            return redirect(software)
    return render(request, "catalogue/form.html", {"form": form})


@login_required
def software_edit(request: HttpRequest, slug: str) -> HttpResponse:
    software = _software_for(request.user, slug, edit=True)
    # The form works on a copy: the service compares what it is given with the stored row.
    form = SoftwareEditForm(request.POST or None, instance=Software.objects.get(pk=software.pk))
    if request.method == "POST" and form.is_valid():
        data, m2m = form.service_input()
        try:
            services.software_update(
                actor=request.user,
                software=Software.objects.get(pk=software.pk),
                data=data,
                m2m=m2m,
                slug=form.cleaned_data["slug"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The entry is saved."))
            return redirect("catalogue:software", form.cleaned_data["slug"])
    return render(request, "catalogue/form.html", {"form": form, "software": software})


@login_required
def software_import(request: HttpRequest) -> HttpResponse:
    if not permissions.can_add_software(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        url = form.cleaned_data.get("url") or ""
        try:
            if url:
                text = publiccode.fetch(url)
            else:
                upload = form.cleaned_data["file"]
                if upload.size > publiccode.MAX_BYTES:
                    raise publiccode.PubliccodeError([publiccode._too_large()])
                text = upload.read(publiccode.MAX_BYTES + 1)
            imported = publiccode.read(text, language=get_language())
            software = services.software_import(
                actor=request.user, imported=imported, source_url=url
            )
        except publiccode.PubliccodeError as error:
            for problem in error.problems:
                form.add_error("url" if url else "file", problem)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The entry is imported as a draft. Check it, choose its functions, publish it."),
            )
            return redirect("catalogue:edit", software.slug)
    return render(request, "catalogue/import.html", {"form": form})


def software_publiccode(request: HttpRequest, slug: str) -> HttpResponse:
    software = _software_for(request.user, slug)
    if software.is_published:
        # A public document: the co-ops and people a visitor may read, even for a member.
        software = _public_copy(software)
    body = publiccode.dumps(publiccode.export(software))
    response = HttpResponse(body, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="publiccode.yml"'
    return response


def compare(request: HttpRequest) -> HttpResponse:
    slugs = [s for s in request.GET.getlist("entries") if s][: selectors.COMPARE_MAX + 1]
    entries = selectors.software_to_compare(request.user, slugs)
    too_many = len(set(slugs)) > selectors.COMPARE_MAX
    context = {
        "entries": entries,
        "too_few": len(entries) < selectors.COMPARE_MIN,
        "too_many": too_many,
        "compare_min": selectors.COMPARE_MIN,
        "compare_max": selectors.COMPARE_MAX,
    }
    status = 200 if len(entries) >= selectors.COMPARE_MIN or not slugs else 400
    return render(request, "catalogue/compare.html", context, status=status)


def _listing(request: HttpRequest, slug: str):
    software = _software_for(request.user, slug)
    coop = permissions.listable_coop(request.user)
    if coop is None or not permissions.can_list_coop(request.user, coop):
        raise PermissionDenied
    return software, coop


@login_required
def provider_edit(request: HttpRequest, slug: str) -> HttpResponse:
    software, coop = _listing(request, slug)
    current = Provider.objects.filter(software=software, organisation=coop).first()
    form = ProviderForm(
        request.POST or None, instance=current and Provider.objects.get(pk=current.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_save(
                actor=request.user,
                software=Software.objects.get(pk=software.pk),
                organisation=coop,
                data=form.service_data(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(coop)s is listed as a provider.") % {"coop": coop.name})
            return redirect(software)
    context = {"form": form, "software": software, "coop": coop, "current": current}
    return render(request, "catalogue/provider_form.html", context)


@login_required
@require_POST
def provider_remove(request: HttpRequest, slug: str) -> HttpResponse:
    software, coop = _listing(request, slug)
    provider = Provider.objects.filter(software=software, organisation=coop).first()
    if provider is None:
        raise Http404
    services.provider_remove(actor=request.user, provider=provider)
    messages.success(
        request, _("%(coop)s is no longer listed as a provider.") % {"coop": coop.name}
    )
    return redirect(software)


@login_required
def use_edit(request: HttpRequest, slug: str) -> HttpResponse:
    software, coop = _listing(request, slug)
    current = SoftwareUse.objects.filter(software=software, organisation=coop).first()
    form = UseForm(
        request.POST or None, instance=current and SoftwareUse.objects.get(pk=current.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.use_save(
                actor=request.user,
                software=Software.objects.get(pk=software.pk),
                organisation=coop,
                data=form.service_data(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(coop)s is listed as a user.") % {"coop": coop.name})
            return redirect(software)
    context = {"form": form, "software": software, "coop": coop, "current": current}
    return render(request, "catalogue/use_form.html", context)


@login_required
@require_POST
def use_remove(request: HttpRequest, slug: str) -> HttpResponse:
    software, coop = _listing(request, slug)
    use = SoftwareUse.objects.filter(software=software, organisation=coop).first()
    if use is None:
        raise Http404
    services.use_remove(actor=request.user, use=use)
    messages.success(request, _("%(coop)s is no longer listed as a user.") % {"coop": coop.name})
    return redirect(software)


@login_required
@require_POST
def contact_add(request: HttpRequest, slug: str) -> HttpResponse:
    """A person agrees to be named as a maintenance contact of the entry."""
    software = _software_for(request.user, slug)
    person = person_of(request.user)
    if person is None or not permissions.can_list_self_as_contact(request.user, software):
        raise PermissionDenied
    try:
        services.contact_add(
            actor=request.user, software=Software.objects.get(pk=software.pk), person=person
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You are named as a maintenance contact of this entry."))
    return redirect(software)


@login_required
@require_POST
def contact_remove(request: HttpRequest, slug: str) -> HttpResponse:
    """The person withdraws as a contact; an editor of the entry takes someone off (`person`)."""
    software = _software_for(request.user, slug)
    own = person_of(request.user)
    wanted = request.POST.get("person") or (own.pk if own else "")
    contact = next((c for c in software.contacts.all() if str(c.person_id) == str(wanted)), None)
    if contact is None:
        raise Http404
    services.contact_remove(actor=request.user, contact=contact)
    messages.success(request, _("The contact is no longer named on this entry."))
    return redirect(software)


def ask_for_help(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Who can help me with this?": the request-help form, pre-filled with the software, the
    services wanted and the provider asked for, for the co-op to complete and send."""
    software = _software_for(request.user, slug)
    providers = list(software.providers.all())
    form = HelpForm(request.GET, providers=providers)
    wanted: list[str] = []
    provider_name = chosen = ""
    if form.is_valid():
        wanted = form.cleaned_data["services"]
        chosen = form.cleaned_data["provider"]
        provider_name = next(
            (p.organisation.name for p in providers if p.organisation.slug == chosen), ""
        )
    lines = [
        _("We would like help with %(software)s (%(url)s).")
        % {
            "software": software.name,
            "url": request.build_absolute_uri(software.get_absolute_url()),
        }
    ]
    if wanted:
        labels = [str(Service(code).label) for code in wanted]
        lines.append(_("Services wanted: %(services)s.") % {"services": ", ".join(labels)})
    if provider_name:
        lines.append(
            _("We would like to work with %(provider)s, a provider listed in the catalogue.")
            % {"provider": provider_name}
        )
    lines.append(_("About us and what we need: "))
    need = "train" if wanted == [Service.TRAIN] else "choose"
    if wanted and set(wanted) <= {Service.SUPPORT, Service.HOST, Service.MIGRATE}:
        need = "maintain"
    # The intake records the entry and tells the providers ticked there (this one, to start).
    fields = {"need": need, "description": "\n".join(lines), "software": software.slug}
    query = urlencode({**fields, **({"provider": chosen} if provider_name else {})})
    return redirect(f"{reverse('intake:new')}?{query}")
