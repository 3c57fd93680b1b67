from __future__ import annotations

import math
from typing import Any

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_countries import countries

from accounts.reauth import reauthentication_required
from members import cards, downloads, linked_data, permissions, selectors, services, vocabulary
from members.adapters import SESSION_KEY
from members.filters import OrganisationFilter, PersonFilter
from members.forms import (
    EmailPreferencesForm,
    InvitationForm,
    NewOrganisationInvitationForm,
    OrganisationAdminForm,
    OrganisationForm,
    PersonLanguageFormSet,
    PersonSkillFormSet,
    ProfileForm,
)
from members.glance import network_at_a_glance
from members.hooks import (
    MORE,
    WAITING,
    invitation_notes,
    organisation_alternates,
    organisation_page,
    render_home_sections,
    render_person_sections,
)
from members.models import Invitation, Organisation, Person, PersonLanguage, PersonSkill
from members.search import search_is_capped
from patio import emails
from patio.charts import bar_chart
from patio.exports import csv_download, download_name
from patio.filters import sent_values
from patio.forms import add_service_errors, datalist_options
from patio.http import PatioRequest
from patio.linked_data import respond
from patio.slugs import former_holder

PAGE_SIZE = 25
COOPS_PAGE, PEOPLE_PAGE = "members:organisations", "members:people"
FEDERATION_MEMBERS_SHOWN = 120  # more than any federation has; the directory filter shows all


class _CountedPaginator(Paginator):
    """A paginator whose count is cached per directory version and filter set
    (`selectors.cached_count`): the same number, without counting the rows again."""

    def __init__(self, queryset, size: int, count_key: object, version: str | None) -> None:
        super().__init__(queryset, size)
        self.queryset = queryset
        self.count_key = count_key
        self.version = version

    @cached_property
    def count(self) -> int:
        return selectors.cached_count(self.queryset, self.count_key, version=self.version)


def _page(
    request: HttpRequest,
    queryset,
    size: int = PAGE_SIZE,
    count_key: object = None,
    version: str | None = None,
):
    paginator = (
        Paginator(queryset, size)
        if count_key is None
        else _CountedPaginator(queryset, size, count_key, version)
    )
    return paginator.get_page(request.GET.get("page"))


def _card_page(request: HttpRequest, filterset, *, kind: str, rows, version: str, page_name: str):
    """A directory's page of results: the query reads the ids of one page's rows, and each row
    is shown by its cached card (members.cards), as `page.cards`. `version`: the directory's,
    read once for the request."""
    ids = filterset.qs.values_list("pk", flat=True) if filterset.is_valid() else rows.none()
    page = _page(
        request, ids, count_key=_filter_key(request, filterset, page_name), version=version
    )
    page.cards = cards.render_cards(
        request,
        list(page.object_list),
        kind=kind,
        rows=rows,
        template=f"members/includes/{kind}_card.html",
        version=version,
    )
    searched = filterset.is_valid() and filterset.form.cleaned_data.get("q")
    page.search_capped = bool(searched) and search_is_capped(page.paginator.count)
    return page


def _filter_key(request: HttpRequest, filterset, page: str) -> list:
    """The directory page, the reader's tier and their filters' values (not the page number,
    nor unknown parameters): what a directory query's rows depend on besides the directory
    version. A download names the page it comes from, so it reads the page's cached count."""
    return [
        page,
        selectors.reader_tier(request.user),
        get_language(),
        sorted(sent_values(filterset)),
    ]


def _organisation_filter(request: HttpRequest) -> OrganisationFilter:
    """The co-op directory's rows for this reader, as the page and its download read them."""
    return OrganisationFilter(
        request.GET, queryset=selectors.organisation_list(request.user), request=request
    )


def _person_filter(request: HttpRequest) -> PersonFilter:
    """The people directory's rows for this reader, as the page and its download read them."""
    return PersonFilter(
        request.GET, queryset=selectors.person_directory(request.user), request=request
    )


def _download_context(request: HttpRequest, url_name: str) -> dict[str, Any]:
    """The page's "Download as CSV" link: for those who may, with the page's filters."""
    if not permissions.can_download_directory(request.user):
        return {}
    query = request.GET.copy()
    query.pop("page", None)
    return {"download_url": f"{reverse(url_name)}?{query.urlencode()}".rstrip("?")}


def _organisation_for(user, slug: str, *, edit: bool = False) -> Organisation:
    """The one way views look up a co-op: 404 when the user may not see it, 403 to edit."""
    organisation = get_object_or_404(selectors.organisation_detail(user), slug=slug)
    if edit and not permissions.can_edit_organisation(user, organisation):
        raise PermissionDenied
    return organisation


def _person_for(user, pk: int) -> Person:
    person = get_object_or_404(selectors.person_detail(user), pk=pk)
    if not permissions.can_view_person(user, person):
        raise Http404
    return person


def _self(request: HttpRequest) -> Person:
    person = permissions.person_of(request.user)
    if person is None:
        raise PermissionDenied(_("Your account is not linked to a person of the network."))
    return person


def home(request: HttpRequest) -> HttpResponse:
    """A member's own dashboard; the network at a glance for visitors."""
    if not permissions.is_member(request.user):
        return network(request)
    waiting = render_home_sections(request, WAITING)
    context = {
        "person": permissions.person_of(request.user),
        "waiting": waiting,
        "more": render_home_sections(request, MORE),
    }
    return render(request, "members/member_home.html", context)


def network(request: HttpRequest) -> HttpResponse:
    glance = network_at_a_glance()
    by_country = [
        (countries.name(row["country"]) or row["country"], row["n"]) for row in glance["by_country"]
    ]
    context = {
        "glance": glance,
        "category_chart": bar_chart(
            [(vocabulary.pick(row["names"]), row["n"]) for row in glance["people_by_category"]],
            title=_("People by skill category"),
        ),
        "country_chart": bar_chart(by_country[:15], title=_("Co-ops by country (top 15)")),
    }
    return render(request, "members/home.html", context)


def organisation_list(request: PatioRequest) -> HttpResponse:
    """The public co-op directory, its busiest page.

    The filter form and the results are cached fragments keyed by the directory version (any
    write changes it), the reader's language, their visibility tier and the query. So the page
    and the filters are built lazily: a cache hit runs no query for them."""
    filterset = _organisation_filter(request)
    version = selectors.directory_version()
    page = SimpleLazyObject(
        lambda: _card_page(
            request,
            filterset,
            kind="organisation",
            rows=selectors.organisation_list(request.user),
            version=version,
            page_name=COOPS_PAGE,
        )
    )
    reader = [version, get_language(), selectors.reader_tier(request.user)]
    filters = sorted(sent_values(filterset))
    context = {
        "filter": filterset,
        "page": page,
        "form_key": [*reader, filters],  # the same form on every page of the results
        "results_key": [*reader, request.GET.urlencode()],
        # Members only, as the tier in the results' cache key is.
        **_download_context(request, "members:organisations_csv"),
    }
    template = "members/organisation_list.html"
    if request.htmx and not request.htmx.boosted:
        template = "members/includes/organisation_results.html"
    return render(request, template, context)


def coop_suggestions(request: HttpRequest) -> HttpResponse:
    """The names of co-ops close to what a person types in a co-op field, as `<option>`s for
    its datalist (patio.forms.DatalistInput): the field's value comes under its own name, so
    the one parameter given is the text. Only co-ops the reader may see."""
    typed = [value for value in request.GET.values() if isinstance(value, str) and value.strip()]
    text = typed[0] if typed else ""
    names = selectors.coop_suggestions(request.user, text)
    return HttpResponse(datalist_options(names), content_type="text/html; charset=utf-8")


def _download_refused(
    request: HttpRequest, page: str, *, status: int, **context: Any
) -> HttpResponse:
    query = request.GET.copy()
    query.pop("page", None)
    context["back"] = f"{reverse(page)}?{query.urlencode()}".rstrip("?")
    return render(request, "members/download_refused.html", context, status=status)


def _download_checked(request: HttpRequest, filterset, page: str) -> HttpResponse | None:
    """Why a directory download cannot be served, as a page; None when it can."""
    if not permissions.can_download_directory(request.user):
        raise PermissionDenied
    if not filterset.is_valid():
        return _download_refused(request, page, status=400, filter=filterset)
    if page == PEOPLE_PAGE:
        count = selectors.cached_count(filterset.qs, _filter_key(request, filterset, page))
        if count > settings.DIRECTORY_DOWNLOAD_MAX_PEOPLE:
            return _download_refused(
                request,
                page,
                status=400,
                count=count,
                most=settings.DIRECTORY_DOWNLOAD_MAX_PEOPLE,
            )
    throttle = downloads.DownloadThrottle()
    if not throttle.spend(request):
        wait = math.ceil(throttle.wait() or 60)
        response = _download_refused(
            request, page, status=429, minutes=max(1, math.ceil(wait / 60))
        )
        response["Retry-After"] = str(wait)
        return response
    return None


@login_required
def organisation_list_csv(request: PatioRequest) -> HttpResponseBase:
    """The co-op directory as the reader's page shows it, filters and search included, as CSV."""
    filterset = _organisation_filter(request)
    refused = _download_checked(request, filterset, COOPS_PAGE)
    if refused is not None:
        return refused
    organisations = selectors.organisation_download(request.user, filterset.qs)
    return csv_download(
        downloads.organisation_rows(organisations),
        header=downloads.ORGANISATION_HEADER,
        name=download_name("coops", sent_values(filterset)),
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A co-op's permanent address: its page (or its JSON-LD, by `Accept`); 410 Gone with its
    tombstone once it has left; a 301 from a slug it had before (patio.slugs)."""
    organisation = selectors.organisation_detail(request.user).filter(slug=slug).first()
    if organisation is None:
        return _organisation_elsewhere(request, slug)
    members, member_count = None, 0
    if organisation.kind == Organisation.Kind.FEDERATION:
        queryset = selectors.federation_members(request.user, organisation)
        members, member_count = list(queryset[:FEDERATION_MEMBERS_SHOWN]), queryset.count()
    document = None
    alternates = organisation_alternates(organisation) if organisation.is_public else []
    if organisation.is_public:
        public_members = members
        if members is not None and permissions.is_member(request.user):
            public_members = list(
                selectors.federation_members(None, organisation)[:FEDERATION_MEMBERS_SHOWN]
            )
        document = linked_data.organisation_document(
            organisation, members=public_members or [], alternates=alternates
        )

    def page(document: dict[str, Any] | None) -> HttpResponse:
        people = _page(request, selectors.organisation_people(request.user, organisation), 50)
        context = {
            "organisation": organisation,
            "federation_members": members,
            "federation_member_count": member_count,
            "people": people,
            "skills": selectors.organisation_skill_summary(request.user, organisation),
            "can_edit": permissions.can_edit_organisation(request.user, organisation),
            "linked_data": document,
            "alternates": alternates,
            "sections": organisation_page.render(request, organisation),
        }
        return render(request, "members/organisation_detail.html", context)

    return respond(request, document, page)


def _organisation_elsewhere(request: HttpRequest, slug: str) -> HttpResponse:
    """No co-op the reader may open has this slug: a tombstone (410), a former slug of a co-op
    the reader may open or of a tombstone (301), or nothing (404)."""
    gone = selectors.organisation_tombstones().filter(slug=slug).first()
    if gone is None:
        moved = former_holder(selectors.organisation_detail(request.user), slug) or (
            former_holder(selectors.organisation_tombstones(), slug)
        )
        if moved is None:
            raise Http404
        return redirect(moved, permanent=True)
    document = linked_data.tombstone_document(gone)
    return respond(
        request,
        document,
        lambda document: render(
            request,
            "members/organisation_gone.html",
            {"organisation": gone, "linked_data": document},
            status=410,
        ),
        status=410,
    )


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_for(request.user, slug, edit=True)
    form_class = (
        OrganisationAdminForm if permissions.is_network_admin(request.user) else OrganisationForm
    )
    form = form_class(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        m2m_names = [n for n in ("sectors", "languages", "federations") if n in form.cleaned_data]
        data = {
            name: value
            for name, value in form.cleaned_data.items()
            if name not in m2m_names and name in form.changed_data
        }
        if data.get("logo") is False:  # "Clear" ticked: a file field stores no file as ""
            data["logo"] = ""
        try:
            services.organisation_update(
                actor=request.user,
                organisation=Organisation.objects.get(pk=organisation.pk),
                data=data,
                m2m={n: form.cleaned_data[n] for n in m2m_names if n in form.changed_data},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The co-op's page is saved."))
            return redirect(organisation)
    return render(
        request, "members/organisation_form.html", {"form": form, "organisation": organisation}
    )


def _invites_a_coop_admin(request: HttpRequest, slug: str) -> bool:
    # As Django's CheckboxInput reads it: any value but "" or "false" ticks the box.
    return request.POST.get("as_coop_admin", "").lower() not in {"", "false"}


# An invitation as co-op admin grants the role on acceptance: it asks for the password again.
@reauthentication_required(when=_invites_a_coop_admin)
def organisation_invitations(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_for(request.user, slug, edit=True)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("members:organisation_invitations", slug=organisation.slug)
    invitations = Invitation.objects.filter(organisation=organisation).select_related("invited_by")[
        :100
    ]
    return render(
        request,
        "members/organisation_invitations.html",
        {"organisation": organisation, "form": form, "invitations": invitations},
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation_for(request.user, slug, edit=True)
    invitation = get_object_or_404(Invitation, pk=pk, organisation=organisation)
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, _("The invitation is revoked."))
    return redirect("members:organisation_invitations", slug=organisation.slug)


@reauthentication_required
def organisation_new(request: HttpRequest) -> HttpResponse:
    """Network admins add a co-op (as an applicant) and invite its first admin (a grant of the
    co-op admin role, so it asks for the password again)."""
    if not permissions.can_invite_new_coop(request.user):
        raise PermissionDenied
    form = NewOrganisationInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation, _invitation = services.organisation_add_with_first_admin(
                actor=request.user,
                name=data["name"],
                kind=data["kind"],
                country=data["country"],
                short_description=data["short_description"],
                email=data["email"],
                display_name=data["display_name"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The co-op is added and its first admin invited."))
            return redirect(organisation)
    return render(request, "members/organisation_new.html", {"form": form})


def person_list(request: PatioRequest) -> HttpResponse:
    """The people directory: visitors see the public profiles, as the API shows them."""
    filterset = _person_filter(request)
    version = selectors.directory_version()
    page = _card_page(
        request,
        filterset,
        kind="person",
        rows=selectors.person_directory(request.user),
        version=version,
        page_name=PEOPLE_PAGE,
    )
    template = "members/person_list.html"
    if request.htmx and not request.htmx.boosted:
        template = "members/includes/person_results.html"
    # The form (with every co-op's name to suggest) is a cached fragment, as on the co-op page.
    context = {
        "filter": filterset,
        "page": page,
        "form_key": [version, *_filter_key(request, filterset, PEOPLE_PAGE)],
        "download_most": settings.DIRECTORY_DOWNLOAD_MAX_PEOPLE,
        **_download_context(request, "members:people_csv"),
    }
    return render(request, template, context)


@login_required
def person_list_csv(request: PatioRequest) -> HttpResponseBase:
    """The people directory as the reader's page shows it, as CSV: contact fields only where
    their owner lets this reader see them. Each download is audited."""
    filterset = _person_filter(request)
    refused = _download_checked(request, filterset, PEOPLE_PAGE)
    if refused is not None:
        return refused
    filters = sent_values(filterset)
    count = selectors.cached_count(filterset.qs, _filter_key(request, filterset, PEOPLE_PAGE))
    services.people_download_record(actor=request.user, filters=filters, people=count)
    return csv_download(
        downloads.person_rows(filterset.qs, request.user),
        header=downloads.PERSON_HEADER,
        name=download_name("people", filters),
    )


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for(request.user, pk)
    # Only a profile everyone may read has a document, and it says only what everyone may read.
    public = permissions.can_view_person(None, person)
    document = linked_data.person_document(person) if public else None

    def page(document: dict[str, Any] | None) -> HttpResponse:
        context = {
            "person": person,
            "contact_fields": permissions.visible_contact_fields(request.user, person),
            # The page edits only one's own profile (/me/); admins edit others in the admin or API.
            "is_self": person.user_id is not None and person.user_id == request.user.pk,
            "can_make_admin": permissions.can_set_coop_admin(request.user, person),
            "sections": render_person_sections(request, person),
            "linked_data": document,
        }
        return render(request, "members/person_detail.html", context)

    return respond(request, document, page)


@require_POST
@reauthentication_required
def person_coop_admin(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for(request.user, pk)
    services.person_set_coop_admin(
        actor=request.user, person=person, is_admin=request.POST.get("is_admin") == "1"
    )
    messages.success(request, _("Roles are saved."))
    return redirect(person)


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    person = _self(request)
    post = request.POST if request.method == "POST" else None
    form = ProfileForm(post, instance=Person.objects.get(pk=person.pk), prefix="profile")
    skills = PersonSkillFormSet(
        post,
        prefix="skills",
        queryset=PersonSkill.objects.filter(person=person)
        .select_related("skill")
        .order_by(vocabulary.localized("skill__name"), "id"),
    )
    languages = PersonLanguageFormSet(
        post,
        prefix="languages",
        queryset=PersonLanguage.objects.filter(person=person).select_related("language"),
    )
    if post is not None and form.is_valid() and skills.is_valid() and languages.is_valid():
        try:
            services.person_update(
                actor=request.user,
                person=person,
                data={name: form.cleaned_data[name] for name in form.changed_data},
                skills=skills.items(),
                languages=languages.items(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect(reverse("members:profile"))
    return render(
        request,
        "members/profile_form.html",
        {"form": form, "skills": skills, "languages": languages, "person": person},
    )


def invitation_landing(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the email: remember the invitation, then send the invitee to sign up."""
    invitation = services.invitation_find_usable(token)
    if invitation is None:
        return render(request, "members/invitation_invalid.html", status=410)
    if request.user.is_authenticated:
        messages.info(request, _("You already have an account. Log out to accept this invitation."))
        return redirect("home")
    # The token the invitee brought (the row keeps only its hash); signup claims it.
    request.session[SESSION_KEY] = token
    get_adapter(request).stash_verified_email(request, invitation.email)
    notes = invitation_notes(invitation)
    return render(
        request, "members/invitation_landing.html", {"invitation": invitation, "notes": notes}
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's switcher, which also saves the choice as the person's preference."""
    person = permissions.person_of(request.user)
    language = request.POST.get("language")
    if person is not None and language in dict(Person._meta.get_field("language").choices or ()):
        services.person_update(actor=request.user, person=person, data={"language": language})
    return django_set_language(request)


@login_required
def email_preferences(request: HttpRequest) -> HttpResponse:
    """Which kinds of email a person gets, one choice per kind."""
    person = Person.objects.get(pk=_self(request).pk)
    form = EmailPreferencesForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.email_preferences_update(
                actor=request.user,
                person=person,
                choices=form.choices(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your email settings are saved."))
            return redirect(reverse("members:email_preferences"))
    return render(request, "members/email_preferences.html", {"form": form, "person": person})


@csrf_exempt
def email_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every event email. GET asks to confirm (mail scanners follow links and must
    not unsubscribe anyone); POST turns the kind off: from the confirm page, or straight from the
    mail program (RFC 8058 one-click, which sends no cookie and no CSRF token: the signed token
    is the proof, and it names one person and one kind)."""
    try:
        person_id, kind_key = emails.read_unsubscribe_token(token)
    except signing.BadSignature:
        return render(request, "members/email_unsubscribe.html", {"invalid": True}, status=400)
    kind = emails.kind_named(kind_key)
    if request.method == "POST":
        try:
            services.email_unsubscribe(token=token)
        except signing.BadSignature:
            return render(request, "members/email_unsubscribe.html", {"invalid": True}, status=400)
        return render(request, "members/email_unsubscribe.html", {"kind": kind, "done": True})
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        return render(request, "members/email_unsubscribe.html", {"invalid": True}, status=400)
    context = {"kind": kind, "token": token, "done": not person.wants_email(kind_key)}
    return render(request, "members/email_unsubscribe.html", context)
