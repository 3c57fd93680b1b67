"""The small things a member trips on: the people filter takes a co-op's name, filter errors
name the field as the form does, signup puts password errors under the password, the email for
an unknown account says joining is by invitation, the home page and the people directory count
the same people, and a hidden profile is the site's own 404 even with DEBUG on."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import override_settings

from members.models import Organisation, Person
from tests.factories import InvitationFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _people(response) -> list[str]:
    results = response.content.decode().split('id="results"', 1)[-1]
    return re.findall(r'<h3><a href="/people/\d+/">([^<]+)</a>', results)


@pytest.fixture
def hornero(db):
    coop = OrganisationFactory(name="Cooperativa de Trabajo Hornero", slug="hornero", country="AR")
    PersonFactory(organisation=coop, display_name="Lucía Núñez")
    return coop


@pytest.fixture
def hidden_coop(db):
    applying = OrganisationFactory(
        name="Cooperativa Aspirante", slug="aspirante", status="applicant"
    )
    PersonFactory(
        organisation=applying,
        display_name="Ana Aspirante",
        profile_visibility=Person.ProfileVisibility.PUBLIC,
    )
    return applying


def _filter_errors(page: str) -> str:
    """The errors listed above the results (the form also shows each under its field)."""
    return page.split('id="results"', 1)[1].split('role="alert"', 1)[1].split("</div>", 1)[0]


# the people filter takes a co-op's name ----------------------------------------------------------
@pytest.mark.parametrize(
    "typed",
    ["Cooperativa de Trabajo Hornero", "cooperativa de trabajo hornero", "hornero", "HORNERÓ"],
)
def test_the_people_filter_finds_a_coop_by_its_name_or_part_of_it(login, member, hornero, typed):
    response = login(member.user).get("/people/", {"organisation": typed})
    assert response.status_code == 200
    assert _people(response) == ["Lucía Núñez"]


def test_the_people_filter_still_takes_a_slug_for_old_links_and_the_api(login, member, hornero):
    assert _people(login(member.user).get("/people/?organisation=hornero")) == ["Lucía Núñez"]
    response = login(member.user).get("/api/v1/people/", {"organisation": "camplight"})
    assert [row["display_name"] for row in response.json()["results"]] == ["Mila Member"]


def test_the_people_filter_suggests_coop_names_in_a_datalist(login, member, hornero):
    page = login(member.user).get("/people/").content.decode()
    field = re.search(r'<input type="text" name="organisation"[^>]*>', page).group(0)
    assert 'list="id_organisation-options"' in field
    datalist = page.split('<datalist id="id_organisation-options">', 1)[1].split("</datalist>")[0]
    assert re.findall(r'<option value="([^"]+)">', datalist) == [
        "Camplight",
        "Cooperativa de Trabajo Hornero",
    ]


def test_a_coop_nobody_is_called_is_an_error_under_the_fields_label(login, member, hornero):
    response = login(member.user).get("/people/", {"organisation": "Nowhere Co-op"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "No co-op of the network is called “Nowhere Co-op”." in page
    errors = _filter_errors(page)
    assert '<label for="id_organisation">Co-op</label>' in errors
    assert _people(response) == []


def test_the_api_answers_an_unknown_coop_with_a_problem(api_client, hornero):
    response = api_client.get("/api/v1/people/", {"organisation": "Nowhere Co-op"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")


def test_a_visitor_cannot_name_a_coop_they_may_not_see(api_client, hidden_coop):
    response = api_client.get("/api/v1/people/", {"organisation": "Cooperativa Aspirante"})
    assert response.status_code == 400
    assert "Ana Aspirante" not in response.content.decode()


# filter errors use the field labels --------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "label"),
    [("size_min=many", "At least (people)"), ("size_max=-2", "At most (people)")],
)
def test_coop_filter_errors_name_the_field_as_the_form_does(client, coop, query, label):
    page = client.get(f"/coops/?{query}").content.decode()
    errors = _filter_errors(page)
    assert f">{label}</label>:" in errors
    assert "size_m" not in errors.replace('for="id_size_m', "")


def test_people_filter_errors_name_the_field_as_the_form_does(login, member):
    page = login(member.user).get("/people/?min_hours=lots&tz_min=99").content.decode()
    errors = _filter_errors(page)
    assert ">Free hours per week, at least</label>:" in errors
    assert ">UTC offset from (hours)</label>:" in errors
    assert "min_hours<" not in errors and "tz_min<" not in errors


# signup shows password errors under the password -------------------------------------------------
def test_signup_shows_a_weak_passwords_errors_under_the_password_field(client, coop):
    invitation = InvitationFactory(organisation=coop, email="nadia@example.coop")
    client.get(invitation.get_absolute_url())
    response = client.post(
        "/accounts/signup/",
        {"email": invitation.email, "password1": "abc", "password2": "abc"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    password = page.split('<label for="id_password1">', 1)[1].split('<div class="field', 1)[0]
    assert 'name="password1"' in password
    after_input = password.split('name="password1"', 1)[1]
    assert "This password is too short." in after_input
    email = page.split('<label for="id_email">', 1)[1].split('<label for="id_password1">', 1)[0]
    assert "too short" not in email


# the email for an unknown account ----------------------------------------------------------------
def test_a_password_reset_for_an_unknown_address_says_joining_is_by_invitation(client, db):
    response = client.post("/accounts/password/reset/", {"email": "stranger@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["stranger@example.org"]
    assert "No Patio account for this address" in message.subject
    assert "Joining Patio is by invitation" in message.body
    assert "/accounts/signup/" not in message.body  # signup is closed without an invitation


# the home page and the people directory count the same people ------------------------------------
def test_the_home_page_counts_the_people_the_people_directory_lists(
    client, login, member, outsider, hidden_coop
):
    left = OrganisationFactory(slug="gone", status=Organisation.Status.LEFT)
    PersonFactory(organisation=left, display_name="Gone Person")

    home = client.get("/").content.decode()
    stats = home.split('class="stats"', 1)[1].split("</ul>", 1)[0]
    people_on_home = re.findall(r"<strong>(\d+)</strong> people", stats)

    directory = login(member.user).get("/people/").content.decode()
    listed = re.search(r"(\d+) (?:person|people) found", directory).group(1)
    assert people_on_home == [listed] == ["2"]
    assert "Ana Aspirante" not in directory and "Gone Person" not in directory

    api = login(member.user).get("/api/v1/people/").json()["results"]
    assert sorted(row["display_name"] for row in api) == ["Mila Member", "Omar Outsider"]


def test_a_person_of_an_applicant_coop_is_still_found_on_their_page_by_members(
    login, member, hidden_coop
):
    person = Person.objects.get(display_name="Ana Aspirante")
    assert login(member.user).get(f"/people/{person.pk}/").status_code == 200
    assert login(member.user).get(f"/api/v1/people/{person.pk}/").status_code == 200
    assert "Ana Aspirante" in login(member.user).get("/coops/aspirante/").content.decode()


# a hidden profile is the site's own 404, in development too --------------------------------------
@pytest.fixture
def members_only(coop):
    return PersonFactory(
        organisation=coop,
        display_name="Quiet Person",
        profile_visibility=Person.ProfileVisibility.MEMBERS,
    )


@pytest.mark.parametrize("debug", [True, False])
def test_a_visitor_opening_a_hidden_profile_gets_the_sites_404(client, members_only, debug):
    with override_settings(DEBUG=debug):
        response = client.get(f"/people/{members_only.pk}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "There is nothing at this address." in page
    assert f'href="/accounts/login/?next=/people/{members_only.pk}/"' in page
    assert "Quiet Person" not in page
    assert "URLconf" not in page and "urlpatterns" not in page.lower()


def test_an_address_that_matches_nothing_is_the_sites_404_with_debug_on(client, db):
    with override_settings(DEBUG=True):
        response = client.get("/no/such/page/")
        api = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert "There is nothing at this address." in response.content.decode()
    assert "URLconf" not in response.content.decode()
    assert api.status_code == 404
    assert api["Content-Type"].startswith("application/problem+json")


def test_a_member_sees_the_profile_that_a_visitor_may_not(login, member, members_only):
    with override_settings(DEBUG=True):
        assert login(member.user).get(f"/people/{members_only.pk}/").status_code == 200


def test_django_technical_404_stays_available_when_asked_for(client, members_only):
    with override_settings(DEBUG=True, DEBUG_TECHNICAL_404=True):
        response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "URLconf" in response.content.decode()


def test_past_a_few_hundred_coops_the_field_asks_for_suggestions_as_one_types(
    login, member, hornero, monkeypatch
):
    """Every co-op's name in the page would be megabytes at 100,000 co-ops: past DATALIST_MAX
    the datalist starts empty and htmx fills it from the suggestions address."""
    from members import selectors

    monkeypatch.setattr(selectors, "DATALIST_MAX", 1)
    page = login(member.user).get("/people/?fresh=1").content.decode()
    field = re.search(r'<input type="text" name="organisation"[^>]*>', page).group(0)
    assert 'data-hx-get="/coops/suggest/"' in field
    assert 'data-hx-target="#id_organisation-options"' in field
    assert '<datalist id="id_organisation-options"></datalist>' in page


def test_suggestions_name_the_coops_close_to_what_was_typed(client, member, hornero):
    found = client.get("/coops/suggest/", {"organisation": "horner"}).content.decode()
    assert re.findall(r'<option value="([^"]+)">', found) == ["Cooperativa de Trabajo Hornero"]
    assert client.get("/coops/suggest/", {"organisation": "h"}).content == b""


def test_suggestions_never_name_a_coop_the_reader_may_not_see(client, login, member):
    OrganisationFactory(name="Hidden Applicant Works", status="applicant")
    assert (
        b"Hidden Applicant" not in client.get("/coops/suggest/", {"q": "hidden applicant"}).content
    )
    seen = login(member.user).get("/coops/suggest/", {"q": "hidden applicant"}).content
    assert b"Hidden Applicant Works" in seen
