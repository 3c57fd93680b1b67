"""The directory's pages, as people see them: who sees what, filters, pagination, forms."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from members.models import Organisation, Person, PersonLanguage, PersonSkill
from members.search import refresh_search_vectors
from tests.circles.factories import CircleMembershipFactory
from tests.factories import (
    LanguageFactory,
    OrganisationFactory,
    PersonFactory,
    PersonLanguageFactory,
    PersonSkillFactory,
    SectorFactory,
    SkillCategoryFactory,
    SkillFactory,
)

pytestmark = pytest.mark.django_db


class _FormReader(HTMLParser):
    """Reads the forms of a page and what a browser without JavaScript would submit."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, list[str]]] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._option: dict | None = None
        self._textarea: str | None = None
        self._text = ""

    def _add(self, name, value):
        if self.forms:
            self.forms[-1].setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({})
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in {"submit", "button", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self._add(a["name"], a.get("value", "on"))
                return
            self._add(a["name"], a.get("value", ""))
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = a.get("name"), None, False
        elif tag == "option" and self._select:
            value = a.get("value")
            self._option = {"value": value, "text": ""}
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._add(self._select, value)
                self._select_chosen = True
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self._add(self._select, self._select_first)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._add(self._textarea, self._text.lstrip("\n"))
            self._textarea = None


def form_data(html: str, containing: str) -> dict[str, str | list[str]]:
    """The fields of the page's form that has a field named `containing`, as a browser sends them."""
    reader = _FormReader()
    reader.feed(html)
    for form in reader.forms:
        if containing in form:
            return {k: v[0] if len(v) == 1 else v for k, v in form.items()}
    raise AssertionError(f"no form with a field {containing!r}")


def field_html(page: str, name: str) -> str:
    """The rendered group (label, error, widget) of one form field."""
    start = page.index(f'name="{name}"')
    begin = page.rindex('<div class="field', 0, start)
    end = page.find('<div class="field', start)
    return page[begin : end if end != -1 else len(page)]


def _slugs(response, marker="/coops/") -> list[str]:
    results = response.content.decode().split('id="results"', 1)[-1]
    return re.findall(rf'<h3><a href="{marker}([\w-]+)/">', results)


# home --------------------------------------------------------------------------------------------
def test_home_shows_the_network_at_a_glance_with_two_accessible_charts(client, member, outsider):
    CircleMembershipFactory(person=member)
    CircleMembershipFactory(person=outsider)  # two active members, by the participation rule
    PersonSkillFactory(person=member, skill__category=SkillCategoryFactory(name="Design"))
    OrganisationFactory(name="Still applying", status=Organisation.Status.APPLICANT, country="FR")

    response = client.get("/")
    page = response.content.decode()

    assert response.status_code == 200
    stats = page.split('class="stats"', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r"<strong>(\d+)</strong>", stats) == ["2", "2", "2", "2"]
    assert page.count("<svg") == 2
    assert '<title id="chart-categories-title">People by skill category</title>' in page
    assert '<title id="chart-countries-title">Co-ops by country (top 15)</title>' in page
    assert page.count("Show as a table") == 2
    assert "<td>Bulgaria</td><td>1</td>" in page
    assert "<td>Argentina</td><td>1</td>" in page
    assert "<td>Design</td><td>1</td>" in page
    assert "France" not in page  # applicants are not in the network's figures yet


# co-op directory ---------------------------------------------------------------------------------
@pytest.fixture
def directory(coop, other_coop):
    """Camplight (BG, worker co-op, software, English) and Facttic Sur (AR, other co-op, 40
    people, Spanish), whose people have different skills."""
    software, farming = SectorFactory(name="Software"), SectorFactory(name="Farming")
    english = LanguageFactory(code="en", name="English")
    spanish = LanguageFactory(code="es", name="Spanish")
    coop.sectors.set([software])
    coop.languages.set([english])
    Organisation.objects.filter(pk=other_coop.pk).update(kind="other_coop", size=40)
    other_coop.sectors.set([farming])
    other_coop.languages.set([spanish])
    PersonSkillFactory(person__organisation=coop, skill__name="Django")
    PersonSkillFactory(person__organisation=other_coop, skill__name="Permaculture")
    refresh_search_vectors()
    return coop, other_coop


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["camplight", "facttic-sur"]),
        ("country=AR", ["facttic-sur"]),
        ("country=AR&country=BG", ["camplight", "facttic-sur"]),
        ("kind=other_coop", ["facttic-sur"]),
        ("sector=software", ["camplight"]),
        ("skill=permaculture", ["facttic-sur"]),
        ("language=es", ["facttic-sur"]),
        ("size_min=20", ["facttic-sur"]),
        ("size_max=20", ["camplight"]),
        ("q=camplight", ["camplight"]),
        ("q=permaculture", ["facttic-sur"]),
        ("country=BG&skill=permaculture", []),
    ],
)
def test_visitor_filters_the_coop_directory(client, directory, query, expected):
    response = client.get(f"/coops/?{query}")
    assert response.status_code == 200
    assert _slugs(response) == expected


def test_the_directory_says_how_many_coops_match(client, directory):
    page = client.get("/coops/?country=AR").content.decode()
    assert "1 co-op found" in page
    assert "No co-op matches" in client.get("/coops/?country=FR").content.decode()


@pytest.mark.parametrize("query", ["country=XX", "size_min=many", "size_min=-3", "sector=nope"])
def test_an_invalid_filter_shows_an_error_not_a_crash(client, directory, query):
    response = client.get(f"/coops/?{query}")
    assert response.status_code == 200
    assert "Some filters are not valid" in response.content.decode()
    assert _slugs(response) == []


def test_pagination_links_keep_the_filters(client, db):
    for n in range(30):
        OrganisationFactory(name=f"Cooperativa {n:02d}", slug=f"cooperativa-{n:02d}", country="UY")
    OrganisationFactory(name="Elsewhere", country="PE")

    first = client.get("/coops/?country=UY")
    page = first.content.decode()
    assert "Page 1 of 2" in page
    assert 'href="?country=UY&amp;page=2"' in page
    assert len(_slugs(first)) == 25

    second = client.get("/coops/?country=UY&page=2")
    assert len(_slugs(second)) == 5
    assert 'href="?country=UY&amp;page=1"' in second.content.decode()
    assert "elsewhere" not in _slugs(second)


def test_an_htmx_request_gets_only_the_results(client, directory):
    response = client.get("/coops/?country=AR", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section class="results"')
    assert "<html" not in page
    assert 'name="country"' not in page  # the filter form stays as it is
    assert _slugs(response) == ["facttic-sur"]


def test_the_full_page_has_a_filter_form_that_works_without_javascript(client, directory):
    page = client.get("/coops/").content.decode()
    assert '<form class="filters" method="get" action="/coops/"' in page
    assert 'hx-get="/coops/"' in page  # htmx only enhances it


def test_applicant_coops_are_hidden_from_visitors_but_not_members(client, login, member):
    OrganisationFactory(name="Applying Co-op", slug="applying", status="applicant")
    assert "applying" not in _slugs(client.get("/coops/"))
    assert client.get("/coops/applying/").status_code == 404

    member_client = login(member.user)
    assert "applying" in _slugs(member_client.get("/coops/"))
    assert member_client.get("/coops/applying/").status_code == 200


# co-op page --------------------------------------------------------------------------------------
@pytest.fixture
def public_and_private(coop):
    public = PersonFactory(
        organisation=coop, display_name="Pia Public", profile_visibility="public"
    )
    private = PersonFactory(
        organisation=coop, display_name="Mo Members", profile_visibility="members"
    )
    PersonSkillFactory(person=public, skill__name="Figma", level=4)
    PersonSkillFactory(person=private, skill__name="Figma", level=1)
    return public, private


def test_a_coop_page_shows_its_public_people_to_visitors(client, coop, public_and_private):
    response = client.get("/coops/camplight/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pia Public" in page
    assert "Mo Members" not in page
    # Only the public profile is counted: Mo's members-only skill is not a visitor's to see.
    assert "<td>Figma</td><td>Development</td><td>1</td><td>1</td>" in page
    assert "Edit this co-op" not in page


def test_a_coop_page_shows_all_its_people_to_members(login, outsider, coop, public_and_private):
    page = login(outsider.user).get("/coops/camplight/").content.decode()
    assert "Pia Public" in page
    assert "Mo Members" in page


def test_a_coop_admin_sees_links_to_edit_and_invite(login, coop_admin):
    page = login(coop_admin.user).get("/coops/camplight/").content.decode()
    assert 'href="/coops/camplight/edit/"' in page
    assert 'href="/coops/camplight/invitations/"' in page


def test_an_unknown_coop_is_404(client, db):
    assert client.get("/coops/nowhere/").status_code == 404


# people ------------------------------------------------------------------------------------------
def test_a_visitor_sees_a_public_person_but_not_a_members_only_one(client, public_and_private):
    public, private = public_and_private
    response = client.get(f"/people/{public.pk}/")
    assert response.status_code == 200
    assert "Pia Public" in response.content.decode()
    assert client.get(f"/people/{private.pk}/").status_code == 404


def test_a_member_sees_a_person_page_with_skills_and_languages(login, outsider, member):
    PersonSkillFactory(person=member, skill__name="Django", level=4, years=7)
    PersonLanguageFactory(person=member, language=LanguageFactory(code="bg", name="Bulgarian"))
    page = login(outsider.user).get(f"/people/{member.pk}/").content.decode()
    assert "Mila Member" in page
    assert "<td>Django</td><td>Can teach</td><td>7</td>" in page
    assert "Bulgarian: Fluent" in page
    assert "Edit my profile" not in page


def test_the_people_directory_filters_by_coop(client, login, member, outsider):
    assert client.get("/people/").status_code == 200  # visitors see public profiles
    response = login(member.user).get("/people/?organisation=facttic-sur")
    assert _slugs(response, marker="/people/") == [str(outsider.pk)]


def test_the_people_directory_htmx_request_gets_only_the_results(login, member):
    page = login(member.user).get("/people/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in page
    assert "Mila Member" in page


# my profile --------------------------------------------------------------------------------------
def test_profile_page_shows_my_skills_and_languages(login, member):
    PersonSkillFactory(person=member, skill__name="Django", level=3)
    PersonLanguageFactory(person=member)
    page = login(member.user).get("/me/").content.decode()
    data = form_data(page, "profile-display_name")
    assert data["profile-display_name"] == "Mila Member"
    assert data["profile-timezone"] == "Europe/Sofia"
    assert data["skills-TOTAL_FORMS"] == "3"  # one skill and two empty rows
    assert data["languages-TOTAL_FORMS"] == "2"


def test_a_person_without_a_profile_cannot_open_my_profile(login, network_admin):
    assert login(network_admin).get("/me/").status_code == 403


def test_profile_form_saves_with_a_plain_post(login, member):
    """What a browser without JavaScript sends: every field of the form, as rendered."""
    kept = PersonSkillFactory(person=member, skill__name="Django", level=2).skill
    dropped = PersonSkillFactory(person=member, skill__name="Drupal").skill
    figma = SkillFactory(name="Figma")
    spanish = LanguageFactory(code="es", name="Spanish")
    client = login(member.user)
    data = form_data(client.get("/me/").content.decode(), "profile-display_name")
    rows = {data[f"skills-{i}-skill"]: i for i in range(2)}
    data.update(
        {
            "profile-bio": "I build *bikes* and websites.",
            "profile-hours_per_week": "12",
            "profile-timezone": "America/Montevideo",
            f"skills-{rows[str(kept.pk)]}-level": "4",
            f"skills-{rows[str(dropped.pk)]}-DELETE": "on",
            "skills-2-skill": str(figma.pk),
            "skills-2-level": "1",
            "skills-2-years": "0",
            "languages-0-language": str(spanish.pk),
            "languages-0-proficiency": "3",
        }
    )

    response = client.post("/me/", data)

    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == "/me/"
    member.refresh_from_db()
    assert member.bio == "I build *bikes* and websites."
    assert (member.hours_per_week, member.timezone) == (12, "America/Montevideo")
    assert dict(PersonSkill.objects.filter(person=member).values_list("skill__name", "level")) == {
        "Django": 4,
        "Figma": 1,
    }
    assert list(
        PersonLanguage.objects.filter(person=member).values_list("language__code", "proficiency")
    ) == [("es", 3)]
    assert "Your profile is saved." in client.get("/me/").content.decode()


def test_profile_errors_are_shown_next_to_the_field_and_what_was_typed_is_kept(login, member):
    client = login(member.user)
    data = form_data(client.get("/me/").content.decode(), "profile-display_name")
    data.update(
        {
            "profile-display_name": "Mila Typed",
            "profile-bio": "Kept <as> typed",
            "profile-hours_per_week": "500",
            "profile-timezone": "Mars/Olympus_Mons",
        }
    )

    response = client.post("/me/", data)

    page = response.content.decode()
    assert response.status_code == 200
    hours = field_html(page, "profile-hours_per_week")
    assert 'class="field has-error"' in hours
    assert "less than or equal to 80" in hours
    assert 'value="500"' in hours
    zone = field_html(page, "profile-timezone")
    assert 'class="field has-error"' in zone
    assert "Select a valid choice" in zone
    assert 'value="Mila Typed"' in field_html(page, "profile-display_name")
    assert "Kept &lt;as&gt; typed</textarea>" in field_html(page, "profile-bio")
    assert "has-error" not in field_html(page, "profile-display_name")
    member.refresh_from_db()
    assert (member.display_name, member.hours_per_week, member.bio) == ("Mila Member", 10, "")


def test_a_skill_row_error_is_shown_on_the_row_and_nothing_is_saved(login, member):
    figma = SkillFactory(name="Figma")
    client = login(member.user)
    data = form_data(client.get("/me/").content.decode(), "profile-display_name")
    data.update(
        {
            "profile-bio": "Not saved either",
            "skills-0-skill": str(figma.pk),
            "skills-0-level": "3",
            "skills-0-years": "99",
            "skills-1-skill": str(figma.pk),
            "skills-1-level": "2",
        }
    )

    response = client.post("/me/", data)

    page = response.content.decode()
    assert response.status_code == 200
    years = field_html(page, "skills-0-years")
    assert "less than or equal to 70" in years
    assert 'value="99"' in years
    assert "already listed above" in field_html(page, "skills-1-skill")
    assert f'<option value="{figma.pk}" selected>Figma</option>' in field_html(
        page, "skills-0-skill"
    )
    assert not PersonSkill.objects.filter(person=member).exists()
    assert Person.objects.get(pk=member.pk).bio == ""


def test_coop_admin_clears_the_logo_with_a_plain_post(login, coop_admin):
    coop = coop_admin.organisation
    Organisation.objects.filter(pk=coop.pk).update(logo="logos/old.png")
    client = login(coop_admin.user)
    page = client.get(f"/coops/{coop.slug}/edit/").content.decode()
    assert 'name="logo-clear"' in page  # the "Clear" box, unticked: a browser does not send it
    data = form_data(page, "short_description")
    data["logo-clear"] = "on"

    response = client.post(f"/coops/{coop.slug}/edit/", data)

    assert response.status_code == 302
    coop.refresh_from_db()
    assert not coop.logo
    assert Organisation.objects.filter(pk=coop.pk, logo="").exists()
