"""The opportunity pages: list and filters, the opportunity page, the editor, interest, the feed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from circles.hooks import render_circle_sections
from members.models import Person
from projects.models import Interest, Opportunity, OpportunityRole, OpportunityTransition
from tests.html_forms import checkboxes, multiple_selects
from tests.projects.factories import OpportunityFactory, RoleFactory, RoleSkillFactory
from tests.projects.helpers import form_data

pytestmark = pytest.mark.django_db
S = Opportunity.Status
LIST = "/opportunities/"


@pytest.fixture
def listed(circle, other_circle, coordinator, django_skill, figma, english, spanish):
    """Four opportunities the filters tell apart, and a draft nobody but Cora sees."""
    portal = OpportunityFactory(
        circle=circle,
        title="Housing portal",
        budget=Decimal("20000"),
        currency="EUR",
        visibility="public",
    )
    portal.working_languages.add(english)
    RoleSkillFactory(role=RoleFactory(opportunity=portal), skill=django_skill)
    brand = OpportunityFactory(
        circle=other_circle, title="Brand for a bakery", budget=Decimal("3000"), currency="EUR"
    )
    brand.working_languages.add(spanish)
    RoleSkillFactory(role=RoleFactory(opportunity=brand, title="Designer"), skill=figma)
    OpportunityFactory(circle=circle, title="Old audit", status=S.CLOSED, budget=Decimal("900"))
    OpportunityFactory(circle=circle, title="Pesos job", budget=Decimal("5000"), currency="ARS")
    OpportunityFactory(circle=circle, title="Secret draft", status=S.DRAFT, posted_by=coordinator)
    return portal


NNBSP = "\u202f"  # CLDR's space before AM and PM


def _titles(response) -> set[str]:
    return {o.title for o in response.context["page"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Housing portal", "Brand for a bakery", "Old audit", "Pesos job"}),
        ("skill=django", {"Housing portal"}),
        ("language=es", {"Brand for a bakery"}),
        ("status=closed", {"Old audit"}),
        (
            "status=open&status=closed",
            {"Housing portal", "Brand for a bakery", "Old audit", "Pesos job"},
        ),
        ("circle=communication", {"Brand for a bakery"}),
        ("budget_min=2000&budget_max=10000&currency=EUR", {"Brand for a bakery"}),
        ("currency=ARS", {"Pesos job"}),
        ("q=bakery", {"Brand for a bakery"}),
        ("q=designer", {"Brand for a bakery"}),
    ],
)
def test_a_member_filters_the_list(login, member, listed, query, expected):
    response = login(member.user).get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert _titles(response) == expected


def test_visitors_see_only_public_opportunities_and_never_drafts(client, listed):
    assert _titles(client.get(LIST)) == {"Housing portal"}


def test_the_coordinator_sees_their_circles_draft_in_the_list(login, coordinator, listed):
    assert "Secret draft" in _titles(login(coordinator.user).get(LIST))


@pytest.mark.parametrize(
    "query", ["budget_min=-5", "budget_max=99999999999", "skill=nope", "status=published"]
)
def test_bad_filters_show_an_error_and_no_results(login, member, listed, query):
    response = login(member.user).get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert _titles(response) == set()
    assert "Some filters are not valid" in response.content.decode()


def test_htmx_gets_only_the_results(login, member, listed):
    response = login(member.user).get(f"{LIST}?skill=django", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Housing portal" in html
    assert "<html" not in html


# the opportunity page ----------------------------------------------------------------------------
def test_the_page_shows_core_hours_in_utc_and_in_the_readers_timezone(login, member, circle):
    Person.objects.filter(pk=member.pk).update(timezone="Asia/Tokyo")
    opportunity = OpportunityFactory(
        circle=circle,
        core_hours_start_utc=dt.time(9),
        core_hours_end_utc=dt.time(13),
        budget=Decimal("12500.50"),
        currency="CHF",
    )
    html = login(member.user).get(opportunity.get_absolute_url()).content.decode()
    assert f"9:00{NNBSP}AM–1:00{NNBSP}PM UTC" in html  # noqa: RUF001
    assert f"6:00{NNBSP}PM–10:00{NNBSP}PM in your timezone (Asia/Tokyo)" in html  # noqa: RUF001
    assert "CHF12,500.50" in html  # CLDR's English puts the code before the amount


def test_text_people_typed_is_shown_escaped(client, circle):
    opportunity = OpportunityFactory(
        circle=circle,
        visibility="public",
        title="<script>alert('t')</script>Portal",
        description="<script>alert('d')</script> **Bold** <img src=x onerror=alert(1)>",
    )
    html = client.get(opportunity.get_absolute_url()).content.decode()
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;Portal" in html
    assert "<strong>Bold</strong>" in html
    assert "onerror" not in html


def test_the_page_lists_roles_skills_and_the_history(login, coordinator, circle, django_skill):
    opportunity = OpportunityFactory(circle=circle, status=S.DRAFT)
    RoleSkillFactory(
        role=RoleFactory(opportunity=opportunity, title="Backend developer"),
        skill=django_skill,
        min_level=3,
    )
    client = login(coordinator.user)
    client.post(
        reverse("projects:opportunity_transition", args=[opportunity.pk]), {"to_status": "open"}
    )
    html = client.get(opportunity.get_absolute_url()).content.decode()
    assert "Backend developer" in html and "Django" in html and "Expert" in html
    assert "Draft → Open" in html
    assert "(Cora Coordinator)" in html


def test_an_illegal_transition_on_the_page_says_why_and_changes_nothing(login, coordinator, circle):
    opportunity = OpportunityFactory(circle=circle, status=S.CLOSED)
    response = login(coordinator.user).post(
        reverse("projects:opportunity_transition", args=[opportunity.pk]), {"to_status": "open"}
    )
    assert response.status_code == 400
    assert "cannot go from “Closed” to “Open”" in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.status == S.CLOSED
    assert not OpportunityTransition.objects.exists()


def test_the_coordinator_sees_who_is_interested_and_members_do_not(
    login, coordinator, member, colleague, circle
):
    opportunity = OpportunityFactory(circle=circle)
    Interest.objects.create(opportunity=opportunity, person=colleague, note="Count me in")
    assert (
        "Ivan Colleague"
        in login(coordinator.user).get(opportunity.get_absolute_url()).content.decode()
    )
    assert (
        "Ivan Colleague"
        not in login(member.user).get(opportunity.get_absolute_url()).content.decode()
    )


# interest ----------------------------------------------------------------------------------------
def test_a_member_says_they_are_interested_then_withdraws(login, member, circle):
    opportunity = OpportunityFactory(circle=circle)
    role = RoleFactory(opportunity=opportunity, title="Tester")
    client = login(member.user)
    response = client.post(
        reverse("projects:interest", args=[opportunity.pk]), {"role": role.pk, "note": "Hi"}
    )
    assert response.status_code == 302
    assert Interest.objects.get().role == role
    html = client.get(reverse("projects:my_interests")).content.decode()
    assert opportunity.title in html and "Tester" in html

    # Said twice (a second tab): refused, and the page says why above the state it kept.
    again = client.post(reverse("projects:interest", args=[opportunity.pk]), {"note": "Again"})
    assert again.status_code == 400
    assert Interest.objects.count() == 1
    page = again.content.decode()
    assert "You have already said you are interested in this opportunity." in page
    assert page.index("already said you are interested") < page.index("Withdraw my interest")

    client.post(reverse("projects:interest_withdraw", args=[opportunity.pk]))
    assert not Interest.objects.exists()


def test_with_htmx_the_interest_section_is_swapped_in_place(login, member, circle):
    opportunity = OpportunityFactory(circle=circle)
    response = login(member.user).post(
        reverse("projects:interest", args=[opportunity.pk]), {}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Withdraw my interest" in html and "<html" not in html


# the editor --------------------------------------------------------------------------------------
def test_a_coordinator_posts_a_draft_with_two_roles_through_the_form(
    login, coordinator, circle, django_skill, figma
):
    data = form_data(
        circle=circle,
        roles=[("Backend developer", 20, [(django_skill, 3)]), ("Designer", 8, [(figma, 2)])],
        start_date="2030-03-01",
        deadline="2030-06-30",
        core_hours_start_utc="13:00",
        core_hours_end_utc="17:00",
    )
    response = login(coordinator.user).post(reverse("projects:opportunity_new"), data)
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == opportunity.get_absolute_url()
    assert opportunity.status == S.DRAFT
    assert opportunity.core_hours_start_utc == dt.time(13)
    assert [(r.title, r.skills.get().skill) for r in opportunity.roles.all()] == [
        ("Backend developer", django_skill),
        ("Designer", figma),
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"budget": "-10"}, "greater than or equal to 0"),
        ({"budget": "10000001"}, "less than or equal to 10000000"),
        ({"start_date": "2030-05-01", "deadline": "2030-04-01"}, "deadline cannot be before"),
        ({"description": "x" * 20_001}, "at most 20000 characters"),
        ({"currency": "XXX"}, "Select a valid choice"),
    ],
    ids=["negative budget", "absurd budget", "deadline before start", "oversized", "currency"],
)
def test_bad_input_in_the_form_is_shown_next_to_the_field_and_nothing_is_saved(
    login, coordinator, circle, django_skill, changes, message
):
    data = form_data(circle=circle, roles=[("Dev", 10, [(django_skill, 2)])], **changes)
    response = login(coordinator.user).post(reverse("projects:opportunity_new"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Opportunity.objects.exists()


def test_the_same_skill_twice_in_a_role_is_refused(login, coordinator, circle, django_skill):
    data = form_data(circle=circle, roles=[("Dev", 10, [(django_skill, 2), (django_skill, 3)])])
    response = login(coordinator.user).post(reverse("projects:opportunity_new"), data)
    assert "already listed for this role" in response.content.decode()
    assert not Opportunity.objects.exists()


def test_an_unknown_skill_is_refused(login, coordinator, circle, django_skill):
    data = form_data(circle=circle, roles=[("Dev", 10, [(django_skill, 2)])])
    data["roles-0-skill_0"] = "999999"
    response = login(coordinator.user).post(reverse("projects:opportunity_new"), data)
    assert "Select a valid choice" in response.content.decode()
    assert not Opportunity.objects.exists()


def test_add_another_role_without_javascript_shows_one_more_empty_role_and_saves_nothing(
    login, coordinator, circle, django_skill
):
    data = form_data(circle=circle, roles=[("Dev", 10, [(django_skill, 2)])], add_role="1")
    response = login(coordinator.user).post(reverse("projects:opportunity_new"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="roles-1-title"' in html
    assert 'value="Dev"' in html
    assert 'name="roles-TOTAL_FORMS" value="2"' in html
    assert "errorlist" not in html
    assert not Opportunity.objects.exists()


def test_htmx_adds_a_role_row_and_raises_the_forms_total(login, coordinator):
    response = login(coordinator.user).get(
        reverse("projects:role_row") + "?index=3", headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert 'name="roles-3-title"' in html and 'name="roles-3-skill_0"' in html
    assert 'name="roles-TOTAL_FORMS" value="4"' in html and 'hx-swap-oob="true"' in html
    assert "?index=4" in html


def test_editing_keeps_unchanged_roles_and_replaces_changed_ones(
    login, coordinator, circle, django_skill, figma
):
    opportunity = OpportunityFactory(circle=circle, status=S.OPEN)
    RoleSkillFactory(role=RoleFactory(opportunity=opportunity, title="Dev"), skill=django_skill)
    RoleSkillFactory(role=RoleFactory(opportunity=opportunity, title="Old"), skill=figma)
    client = login(coordinator.user)
    page = client.get(reverse("projects:opportunity_edit", args=[opportunity.pk]))
    assert 'value="Dev"' in page.content.decode()
    data = form_data(
        roles=[("Dev", 10, [(django_skill, 2)]), ("Old", 10, [(figma, 2)])],
        initial_roles=2,
        title="Renamed",
    )
    data["roles-1-DELETE"] = "on"
    response = client.post(reverse("projects:opportunity_edit", args=[opportunity.pk]), data)
    assert response.status_code == 302
    assert list(OpportunityRole.objects.values_list("title", flat=True)) == ["Dev"]
    opportunity.refresh_from_db()
    assert opportunity.title == "Renamed"


def test_a_coordinator_of_nothing_is_not_offered_the_post_link(login, member, listed):
    assert "Post an opportunity" not in login(member.user).get(LIST).content.decode()


# the circle page section and the feed ------------------------------------------------------------
def test_the_circle_section_lists_open_opportunities_the_reader_may_see(rf, member, circle, listed):
    request = rf.get("/")
    request.user = member.user
    html = "".join(render_circle_sections(request, circle))
    assert "Housing portal" in html and "Pesos job" in html
    assert "Old audit" not in html and "Secret draft" not in html and "Brand" not in html


def test_the_feed_lists_public_open_opportunities_only_escaped(client, circle, listed):
    OpportunityFactory(
        circle=circle,
        visibility="public",
        title="Tags <b>in</b> title",
        description="<script>x()</script>",
    )
    response = client.get(reverse("projects:feed"))
    body = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Housing portal" in body and "Tags &lt;b&gt;in&lt;/b&gt; title" in body
    assert "<script>" not in body
    for hidden in ("Brand for a bakery", "Old audit", "Secret draft", "Pesos job"):
        assert hidden not in body


def test_the_status_filter_and_the_languages_field_let_people_choose_several(
    login, coordinator, listed
):
    client = login(coordinator.user)
    page = client.get(LIST).content.decode()
    assert {box.value for box in checkboxes(page, "status")} >= {"open", "matching"}
    form = client.get(reverse("projects:opportunity_new")).content.decode()
    assert checkboxes(form, "working_languages")
    assert multiple_selects(page) == multiple_selects(form) == []


def _atom_entries(response) -> list:
    from xml.etree import ElementTree

    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed, not input
    return root.findall("{http://www.w3.org/2005/Atom}entry")


def test_the_feed_summaries_are_plain_text_so_readers_show_typed_markup_as_typed(client, circle):
    OpportunityFactory(
        circle=circle,
        visibility="public",
        description='Know <b>Django</b>? See <a href="https://evil.example">this</a>.',
    )
    (entry,) = _atom_entries(client.get(reverse("projects:feed")))
    summary = entry.find("{http://www.w3.org/2005/Atom}summary")

    assert summary.get("type") == "text"
    assert summary.text == 'Know <b>Django</b>? See <a href="https://evil.example">this</a>.'


@override_settings(SITE_URL="https://patio.example", ALLOWED_HOSTS=["testserver", "evil.example"])
def test_the_feed_entry_ids_come_from_site_url_not_the_host_header(client, circle):
    opportunity = OpportunityFactory(circle=circle, visibility="public")
    (entry,) = _atom_entries(client.get(reverse("projects:feed"), HTTP_HOST="evil.example"))
    ns = "{http://www.w3.org/2005/Atom}"

    assert entry.find(f"{ns}id").text == f"https://patio.example/opportunities/{opportunity.pk}/"
    assert entry.find(f"{ns}link").get("href").startswith("https://patio.example/")
