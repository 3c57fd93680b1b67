"""The assembly pages: what members see, in their own timezone, and what the facilitator records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from assemblies.hooks import AgendaProposal, register_agenda_source, unregister_agenda_source
from assemblies.models import ActionItem, AgendaItem, Attendance, Decision
from tests.assemblies.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AssemblyFactory,
    CircleUpdateFactory,
    DecisionFactory,
    utc,
)
from tests.circles.factories import CircleMembershipFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_list_shows_upcoming_and_past_assemblies(login, member):
    AssemblyFactory(title="Next one")
    AssemblyFactory(title="Long ago", start=timezone.now() - timedelta(days=60), status="closed")

    response = login(member.user).get(reverse("assemblies:list"))

    upcoming, past = response.context["upcoming"], response.context["past"]
    assert [a.title for a in upcoming] == ["Next one"]
    assert [a.title for a in past] == ["Long ago"]


def test_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("assemblies:list"))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_assembly_page_shows_times_in_the_readers_timezone_with_utc(login, coop):
    reader = PersonFactory(organisation=coop, timezone="Asia/Tokyo", user__email="ken@x.coop")
    assembly = AssemblyFactory(start=utc(2026, 4, 2, 15))

    html = login(reader.user).get(assembly.get_absolute_url()).content.decode()

    assert "Friday, April 3, 2026, 12:00\u202fAM" in html
    assert "(Asia/Tokyo · 3:00\u202fPM UTC)" in html
    assert 'datetime="2026-04-02T15:00:00+00:00"' in html


def test_text_people_write_is_shown_escaped(login, member, assembly):
    AgendaItemFactory(
        assembly=assembly,
        title="<script>alert(1)</script>",
        description="**bold** <script>x()</script>",
        minutes="<img src=x onerror=y>",
    )

    html = login(member.user).get(assembly.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<strong>bold</strong>" in html
    assert "<script>x()</script>" not in html and "onerror" not in html


def test_quorum_is_polled_by_htmx_and_refreshable_without_javascript(login, member, assembly):
    html = login(member.user).get(assembly.get_absolute_url()).content.decode()

    assert f'hx-get="/assemblies/{assembly.pk}/quorum/"' in html
    assert f'<a href="/assemblies/{assembly.pk}/">Refresh</a>' in html


def test_the_quorum_box_alone_answers_the_poll(login, member, assembly):
    response = login(member.user).get(reverse("assemblies:quorum", args=[assembly.pk]))

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"needed" in response.content


@pytest.mark.parametrize("size", [2, 12])
def test_the_list_page_runs_a_constant_number_of_queries(
    login, member, size, django_assert_max_num_queries
):
    for n in range(size):
        AssemblyFactory(start=timezone.now() + timedelta(days=n + 1))
        AssemblyFactory(start=timezone.now() - timedelta(days=n + 40), status="closed")
    client = login(member.user)

    with django_assert_max_num_queries(12):
        assert client.get(reverse("assemblies:list")).status_code == 200


@pytest.mark.parametrize("size", [2, 15])
def test_the_assembly_page_runs_a_constant_number_of_queries(
    login, member, assembly, size, django_assert_max_num_queries
):
    for _ in range(size):
        AgendaItemFactory(assembly=assembly, proposer=member)
        CircleUpdateFactory(assembly=assembly, author=member)
        DecisionFactory(assembly=assembly)
        ActionItemFactory(assembly=assembly, owner=member)
    client = login(member.user)

    # With the header bell's unread count.
    with django_assert_max_num_queries(23):
        assert client.get(assembly.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("size", [2, 15])
def test_the_live_view_runs_a_constant_number_of_queries(
    login, facilitator, assembly, size, django_assert_max_num_queries
):
    for _ in range(size):
        AgendaItemFactory(assembly=assembly)
        DecisionFactory(assembly=assembly)
        ActionItemFactory(assembly=assembly, owner=facilitator)
    client = login(facilitator.user)

    with django_assert_max_num_queries(24):
        assert client.get(reverse("assemblies:run", args=[assembly.pk])).status_code == 200


@pytest.mark.parametrize("size", [2, 15])
def test_the_decisions_log_runs_a_constant_number_of_queries(
    login, member, size, django_assert_max_num_queries
):
    for _ in range(size):
        DecisionFactory(agenda_item=AgendaItemFactory())
    client = login(member.user)

    with django_assert_max_num_queries(10):
        assert client.get(reverse("assemblies:decisions")).status_code == 200


def test_the_decisions_log_finds_decisions_by_their_words(login, member):
    DecisionFactory(text="We adopt the solidarity fund rules.")
    DecisionFactory(text="The next gathering is in Rosario.", objections="Too far for Asia.")

    client = login(member.user)
    found = client.get(reverse("assemblies:decisions"), {"q": "solidarity"}).context["page"]
    by_objection = client.get(reverse("assemblies:decisions"), {"q": "asia"}).context["page"]

    assert [d.text for d in found] == ["We adopt the solidarity fund rules."]
    assert [d.text for d in by_objection] == ["The next gathering is in Rosario."]


def test_a_vote_without_its_tally_is_refused_and_nothing_is_saved(
    login, facilitator, open_assembly
):
    response = login(facilitator.user).post(
        reverse("assemblies:run_decision", args=[open_assembly.pk]),
        {
            "decision-text": "New logo.",
            "decision-method": "vote",
            "decision-outcome": "adopted",
            "decision-without_quorum": "on",
        },
    )

    assert response.status_code == 400
    with translation.override(facilitator.language):  # the error speaks the facilitator's language
        message = gettext("A vote needs its tally: for and against.")
    assert message in response.content.decode()
    assert not Decision.objects.exists()


def test_scheduling_without_a_title_or_start_shows_the_errors(login, network_admin):
    response = login(network_admin).post(reverse("assemblies:new"), {"duration_minutes": 5})

    form = response.context["form"]
    assert {"title", "start", "duration_minutes"} <= set(form.errors)


def test_the_start_is_typed_in_the_admins_own_timezone(client, coop):
    admin = PersonFactory(
        organisation=coop,
        timezone="America/Chicago",
        user__is_staff=True,
        user__email="boss@x.coop",
    ).user
    client.force_login(admin)

    client.post(
        reverse("assemblies:new"),
        {"title": "July", "start": "2026-07-02T10:00", "duration_minutes": 90},
    )

    from assemblies.models import Assembly

    assert Assembly.objects.get(title="July").start == utc(2026, 7, 2, 15)


def test_building_the_agenda_twice_adds_each_item_once(login, facilitator, assembly, circle):
    CircleUpdateFactory(assembly=assembly, circle=circle, decisions_wanted="Adopt the new budget\n")
    register_agenda_source(
        "elsewhere",  # not "policies": that name is the real app's source
        lambda a: [AgendaProposal(key="amendment-7", title="Amend rule 7", kind="decision")],
    )
    try:
        client = login(facilitator.user)
        for _ in range(2):
            client.post(reverse("assemblies:agenda_build", args=[assembly.pk]))
    finally:
        unregister_agenda_source("elsewhere")

    items = list(AgendaItem.objects.filter(assembly=assembly).order_by("order"))
    assert [(i.kind, i.title) for i in items] == [
        ("circle_update", "Update from Tech"),
        ("decision", "Adopt the new budget"),
        ("decision", "Amend rule 7"),
    ]


def test_the_facilitator_reorders_the_agenda(login, facilitator, assembly):
    first, second = AgendaItemFactory(assembly=assembly), AgendaItemFactory(assembly=assembly)

    login(facilitator.user).post(
        reverse("assemblies:agenda_move", args=[assembly.pk, second.pk]), {"direction": "up"}
    )

    assert list(AgendaItem.objects.order_by("order").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]


def test_the_note_taker_marks_attendance_and_the_quorum_counts_it(
    login, note_taker, open_assembly, member
):
    CircleMembershipFactory(person=member)  # an active member, on the roster
    assembly = open_assembly
    client = login(note_taker.user)

    client.post(
        reverse("assemblies:run_attendance", args=[assembly.pk]),
        {"people": [member.pk, note_taker.pk]},
    )

    assert set(Attendance.objects.values_list("person_id", flat=True)) == {member.pk, note_taker.pk}
    quorum = client.get(reverse("assemblies:quorum", args=[assembly.pk])).context["quorum"]
    assert quorum.present == 2


def test_the_owner_sees_the_action_on_their_page_and_ticks_it_off(login, member, assembly):
    action = ActionItemFactory(
        assembly=assembly, owner=member, description="Translate the statutes"
    )
    client = login(member.user)

    page = client.get(member.get_absolute_url()).content.decode()
    assert "Translate the statutes" in page
    client.post(reverse("assemblies:action_status", args=[action.pk]), {"status": "done"})

    action.refresh_from_db()
    assert action.status == ActionItem.Status.DONE


def test_someone_else_cannot_tick_off_an_action(login, member, colleague, assembly):
    action = ActionItemFactory(assembly=assembly, owner=member)

    response = login(colleague.user).post(
        reverse("assemblies:action_status", args=[action.pk]), {"status": "done"}
    )

    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == ActionItem.Status.OPEN


def test_each_assembly_has_a_calendar_file(login, member, assembly):
    response = login(member.user).get(reverse("assemblies:ics", args=[assembly.pk]))

    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content and b"SUMMARY:June assembly" in response.content


def test_the_personal_feed_works_with_its_secret_until_revoked(client, login, member, assembly):
    ActionItemFactory(
        assembly=assembly,
        owner=member,
        description="Send the minutes",
        due_date=timezone.localdate() + timedelta(days=3),
    )
    page = login(member.user).post(reverse("assemblies:calendar"))
    feed_url = page.context["feed_url"]
    path = feed_url.split("testserver", 1)[1]
    client.logout()

    feed = client.get(path)
    assert feed.status_code == 200
    assert b"SUMMARY:June assembly" in feed.content and b"SUMMARY:Send the minutes" in feed.content

    login(member.user).post(reverse("assemblies:calendar"), {"revoke": "1"})
    client.logout()
    assert client.get(path).status_code == 404


def test_a_guessed_feed_secret_finds_nothing(client):
    assert client.get(reverse("assemblies:feed", args=["not-a-secret"])).status_code == 404


def test_fair_slots_page_counts_a_proposed_time(login, network_admin, coop):
    PersonFactory(organisation=coop, timezone="Europe/Sofia", active_member=True)
    PersonFactory(organisation=coop, timezone="Asia/Tokyo", active_member=True)

    response = login(network_admin).get(
        reverse("assemblies:fair_slots"),
        {"month": "2026-07", "nth": 1, "weekday": 3, "time": "06:00", "rotation": 2},
    )

    assert response.context["proposed"].suited == 2  # Sofia 09:00, Tokyo 15:00
    assert response.context["reached"] == 2
