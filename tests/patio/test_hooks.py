"""patio.hooks.Slot: the one registry of page sections that every app's page slots use.

Pure tests: a request from RequestFactory, sections as plain functions, no database."""

from __future__ import annotations

import pytest
from django.http import HttpRequest
from django.test import RequestFactory

from circles import hooks as circle_hooks
from members import hooks as member_hooks
from patio.hooks import Slot


@pytest.fixture
def request_() -> HttpRequest:
    return RequestFactory().get("/")


def _section(html: str):
    def section(request: HttpRequest, subject: str) -> str:
        return html

    section.__name__ = f"section_{html or 'empty'}"
    return section


def test_sections_render_lowest_order_first(request_):
    slot: Slot[[str]] = Slot("test")
    slot.register(_section("c"), order=30)
    slot.register(_section("a"), order=10)
    slot.register(_section("b"), order=20)

    assert slot.render(request_, "circle") == ["a", "b", "c"]


def test_sections_of_the_same_order_keep_their_registration_order(request_):
    slot: Slot[[str]] = Slot("test")
    for html in ["first", "second", "third"]:
        slot.register(_section(html))
    slot.register(_section("early"), order=5)

    assert slot.render(request_, "circle") == ["early", "first", "second", "third"]


def test_sections_with_nothing_to_show_are_left_out(request_):
    slot: Slot[[str]] = Slot("test")
    slot.register(_section("a"))
    slot.register(_section(""))
    slot.register(_section("b"))

    assert slot.render(request_, "circle") == ["a", "b"]


def test_an_empty_slot_renders_nothing(request_):
    assert Slot("test").render(request_) == []


def test_each_section_gets_the_request_and_what_the_page_shows(request_):
    slot: Slot[[str, int]] = Slot("test")
    seen = []

    @slot.register
    def section(request: HttpRequest, name: str, count: int) -> str:
        seen.append((request, name, count))
        return f"{name}:{count}"

    assert slot.render(request_, "camplight", 3) == ["camplight:3"]
    assert seen == [(request_, "camplight", 3)]


def test_a_slot_without_a_subject_calls_sections_with_the_request_only(request_):
    slot: Slot[[]] = Slot("home")

    @slot.register(order=1)
    def greeting(request: HttpRequest) -> str:
        return f"hello {request.path}"

    assert slot.render(request_) == ["hello /"]


def test_register_returns_the_section_unchanged_so_it_works_as_a_decorator():
    slot: Slot[[str]] = Slot("test")
    section = _section("a")

    assert slot.register(section) is section

    @slot.register(order=7)
    def decorated(request: HttpRequest, subject: str) -> str:
        return "b"

    assert decorated(RequestFactory().get("/"), "x") == "b"
    assert slot.sections() == [decorated, section]  # order 7 comes before the default 100


def test_registering_a_section_again_changes_nothing(request_):
    """AppConfig.ready() can run more than once (tests that reload apps): no doubled section,
    and the first order stays."""
    slot: Slot[[str]] = Slot("test")
    a, b = _section("a"), _section("b")
    slot.register(a, order=10)
    slot.register(b, order=20)
    slot.register(a, order=30)

    assert slot.render(request_, "circle") == ["a", "b"]


def test_the_same_bound_method_is_one_section(request_):
    class Sections:
        def teams(self, request: HttpRequest, subject: str) -> str:
            return "teams"

    sections = Sections()
    slot: Slot[[str]] = Slot("test")
    slot.register(sections.teams)
    slot.register(sections.teams)  # a new bound-method object, equal to the first

    assert slot.render(request_, "person") == ["teams"]


def test_unregister_takes_a_section_out_and_ignores_unknown_ones(request_):
    slot: Slot[[str]] = Slot("test")
    a, b = _section("a"), _section("b")
    slot.register(a)
    slot.register(b)

    slot.unregister(a)
    slot.unregister(_section("never registered"))

    assert slot.render(request_, "circle") == ["b"]


def test_slots_do_not_share_sections(request_):
    one: Slot[[str]] = Slot("one")
    two: Slot[[str]] = Slot("two")
    one.register(_section("a"))

    assert two.render(request_, "circle") == []
    assert "one" in repr(one) and "1 section" in repr(one)


def test_a_section_must_be_callable():
    with pytest.raises(TypeError, match="must be callable"):
        Slot("test").register("<p>not a function</p>")  # type: ignore[arg-type]


def test_an_error_in_a_section_reaches_the_page(request_):
    """A broken section is a bug to see, not a part of the page to hide."""
    slot: Slot[[str]] = Slot("test")

    @slot.register
    def broken(request: HttpRequest, subject: str) -> str:
        raise RuntimeError("broken section")

    with pytest.raises(RuntimeError, match="broken section"):
        slot.render(request_, "circle")


# The slots the apps declare, filled by the apps above them in their AppConfig.ready() ----------
def _names(slot: Slot) -> list[str]:
    return [f"{section.__module__}.{section.__name__}" for section in slot.sections()]


def test_the_members_home_lists_what_waits_in_the_order_the_apps_chose():
    assert _names(member_hooks.home_slots[member_hooks.WAITING]) == [
        "assemblies.sections.home_rsvps_section",  # order 10
        "policies.sections.home_rounds_section",  # 20
        "projects.sections.home_invitations_section",  # 30
        "fund.sections.home_claims_section",  # 40
        "assemblies.sections.home_actions_section",  # 50
        "intake.sections.home_triage_section",  # 60
        "hub.sections.home_review_section",  # 70
        "feedback.sections.home_section",  # 75
        "offers.sections.home_replies_section",  # 80
        "mediation.sections.waiting_cases",  # 95
    ]
    assert _names(member_hooks.home_slots[member_hooks.MORE]) == [
        "hub.sections.home_path_section",  # 5: a new member's suggested path comes first
        "projects.sections.home_opportunities_section",
        "projects.sections.home_teams_section",
    ]


def test_the_person_and_circle_pages_show_sections_in_app_order():
    """Registration order, which is INSTALLED_APPS order (projects before assemblies)."""
    assert _names(member_hooks.person_page) == [
        "projects.views.teams.person_section",
        "assemblies.sections.person_actions_section",
        "privacy.views.person_section",
        "feedback.sections.person_section",
    ]
    assert _names(circle_hooks.circle_page) == [
        "projects.views.opportunities.circle_section",
        "intake.views.circle_section",
        "discussions.sections.circle_section",
    ]


def test_the_apps_public_names_register_into_the_slots():
    section = _section("<p>extra</p>")
    member_hooks.register_person_section(section)
    try:
        assert member_hooks.person_page.sections()[-1] is section
    finally:
        member_hooks.person_page.unregister(section)

    def home(request: HttpRequest) -> str:
        return "<p>first</p>"

    member_hooks.register_home_section(home, slot=member_hooks.MORE, order=1)
    try:
        assert member_hooks.home_slots[member_hooks.MORE].sections()[0] is home
    finally:
        member_hooks.home_slots[member_hooks.MORE].unregister(home)
    assert home not in member_hooks.home_slots[member_hooks.MORE].sections()
    with pytest.raises(KeyError):
        member_hooks.register_home_section(home, slot="sidebar")
