"""An assembly keeps its integrity: the roster and the quorum count the same people, decisions
need quorum (or say plainly they were taken without it), an assembly opens on its day, and once
it is closed its record is frozen and only corrected, visibly and audited.

Who is active is decided by the circles' rule (a current membership in an active circle), never
set on the person directly: `active_members` gives people memberships and lets the rule run."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from assemblies import selectors, services
from assemblies.models import AgendaItem, Assembly, Attendance, Correction, Decision
from audit.models import AuditEvent
from circles.models import CircleMembership
from circles.services import participation_refresh
from members.models import Person
from tests.assemblies.factories import AgendaItemFactory, AssemblyFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def active_members(coop, circle, facilitator, note_taker):
    """Ten people made active by the circle rule: six with an account, four without. The
    facilitator and the note-taker hold memberships too (12 active: quorum 30 % -> 4)."""

    def make(n_with: int = 6, n_without: int = 4) -> list:
        people = [PersonFactory(organisation=coop) for _ in range(n_with)]
        people += [PersonFactory(organisation=coop, user=None) for _ in range(n_without)]
        for person in [*people, facilitator, note_taker]:
            CircleMembership.objects.get_or_create(circle=circle, person=person)
        participation_refresh()
        return people

    return make


def _decide(actor, assembly, **extra):
    return services.decision_record(
        actor=actor,
        assembly=assembly,
        text="We meet in Rosario.",
        method="consent",
        outcome="adopted",
        **extra,
    )


def _close(assembly, facilitator):
    services.assembly_set_status(actor=facilitator.user, assembly=assembly, status="closed")
    assembly.refresh_from_db()
    return assembly


# The roster and the quorum ----------------------------------------------------------------------
def test_the_roster_is_every_active_member_with_or_without_an_account(
    open_assembly, active_members, coop
):
    people = active_members()
    passive = PersonFactory(organisation=coop)
    participation_refresh([passive.pk])

    roster = set(selectors.roster(open_assembly))
    quorum = selectors.quorum(open_assembly)

    assert {p for p in people if p.user is None} <= roster
    assert passive not in roster
    assert quorum.active == len(roster) == 12


def test_marking_enough_people_present_reaches_quorum(open_assembly, active_members, note_taker):
    people = active_members()
    for person in people[6:9]:  # three without an account
        services.attendance_mark(
            actor=note_taker.user, assembly=open_assembly, person=person, present=True
        )
    assert not selectors.quorum(open_assembly).reached

    services.attendance_mark(
        actor=note_taker.user, assembly=open_assembly, person=people[0], present=True
    )

    quorum = selectors.quorum(open_assembly)
    assert (quorum.present, quorum.needed, quorum.reached) == (4, 4, True)


def test_someone_not_on_the_roster_cannot_be_marked_present(open_assembly, active_members, coop):
    active_members()
    passive = PersonFactory(organisation=coop)
    participation_refresh([passive.pk])

    with pytest.raises(ValidationError):
        services.attendance_mark(
            actor=open_assembly.facilitator.user,
            assembly=open_assembly,
            person=passive,
            present=True,
        )
    assert not Attendance.objects.exists()


def test_attendance_is_taken_only_in_the_open_meeting(assembly, active_members, facilitator):
    people = active_members()

    with pytest.raises(ValidationError) as refused:
        services.attendance_mark(
            actor=facilitator.user, assembly=assembly, person=people[0], present=True
        )
    assert refused.value.code == "not_open"


def test_every_attendance_change_is_audited(open_assembly, active_members, note_taker):
    person = active_members()[0]

    services.attendance_mark(
        actor=note_taker.user, assembly=open_assembly, person=person, present=True
    )
    services.attendance_mark(
        actor=note_taker.user, assembly=open_assembly, person=person, present=False
    )
    services.attendance_set(actor=note_taker.user, assembly=open_assembly, people=[person])

    events = AuditEvent.objects.filter(action="assembly.attendance").order_by("id")
    assert [e.after.get("present") for e in events] == [True, False, [person.pk]]
    assert all(e.actor == note_taker.user for e in events)


# Decisions and quorum ---------------------------------------------------------------------------
def test_without_quorum_a_decision_is_refused(open_assembly, active_members, facilitator):
    active_members()

    with pytest.raises(ValidationError) as refused:
        _decide(facilitator.user, open_assembly)

    assert "without_quorum" in refused.value.message_dict
    assert not Decision.objects.exists()


def test_the_facilitator_records_a_decision_explicitly_without_quorum(
    open_assembly, active_members, facilitator
):
    active_members()

    decision = _decide(facilitator.user, open_assembly, without_quorum=True)

    assert decision.without_quorum
    assert (decision.present_count, decision.quorum_needed) == (0, 4)
    event = AuditEvent.objects.get(action="assembly.decision")
    assert event.after["without_quorum"] is True


def test_the_note_taker_cannot_decide_without_quorum(open_assembly, active_members, note_taker):
    active_members()

    with pytest.raises(PermissionDenied):
        _decide(note_taker.user, open_assembly, without_quorum=True)
    assert not Decision.objects.exists()


def test_with_quorum_a_decision_is_not_marked_without_it(open_assembly, active_members, note_taker):
    people = active_members()
    services.attendance_set(actor=note_taker.user, assembly=open_assembly, people=people[:4])

    decision = _decide(note_taker.user, open_assembly, without_quorum=True)

    assert not decision.without_quorum
    assert (decision.present_count, decision.quorum_needed) == (4, 4)


def test_the_without_quorum_mark_shows_on_the_agenda_the_decisions_and_the_log(
    login, open_assembly, active_members, facilitator, member
):
    active_members()
    item = AgendaItemFactory(assembly=open_assembly, title="Gathering")
    _decide(facilitator.user, open_assembly, without_quorum=True, agenda_item=item)
    client = login(member.user)
    mark = "Without quorum (0 present of 4 needed)"

    assembly_page = client.get(open_assembly.get_absolute_url()).content.decode()
    log = client.get(reverse("assemblies:decisions")).content.decode()

    assert assembly_page.count(mark) == 2  # under its agenda item, and among the decisions
    assert log.count(mark) == 1


def test_the_decision_form_refuses_without_quorum_and_says_so(
    login, open_assembly, active_members, facilitator
):
    active_members()
    url = reverse("assemblies:run_decision", args=[open_assembly.pk])
    data = {
        "decision-text": "Rosario.",
        "decision-method": "consent",
        "decision-outcome": "adopted",
    }
    client = login(facilitator.user)

    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "without_quorum" in refused.context["decision_form"].errors
    saved = client.post(url, {**data, "decision-without_quorum": "on"})

    assert saved.status_code == 302
    assert Decision.objects.get().without_quorum


# Opening on its day -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("today", "opens"),
    [
        (date(2026, 6, 2), False),
        (date(2026, 6, 3), True),
        (date(2026, 6, 4), True),
        (date(2026, 6, 5), True),
        (date(2026, 6, 6), False),
    ],
)
def test_an_assembly_opens_on_its_utc_day_one_day_either_side(today, opens):
    assembly = Assembly(start=datetime(2026, 6, 4, 23, 30, tzinfo=UTC))

    assert assembly.opens_on(today) is opens


def test_an_assembly_two_days_ahead_cannot_be_opened(facilitator):
    assembly = AssemblyFactory(
        start=timezone.now() + timedelta(days=2, hours=1), facilitator=facilitator
    )

    with pytest.raises(ValidationError):
        services.assembly_set_status(actor=facilitator.user, assembly=assembly, status="open")
    assembly.refresh_from_db()
    assert assembly.status == "planned"


def test_the_run_page_offers_opening_only_on_the_day(login, facilitator, assembly):
    client = login(facilitator.user)
    early = client.get(reverse("assemblies:run", args=[assembly.pk])).content.decode()
    Assembly.objects.filter(pk=assembly.pk).update(start=timezone.now() + timedelta(hours=2))
    on_the_day = client.get(reverse("assemblies:run", args=[assembly.pk])).content.decode()

    assert 'name="status" value="open"' not in early
    assert 'name="status" value="open"' in on_the_day


# A closed assembly is frozen --------------------------------------------------------------------
@pytest.fixture
def closed(open_assembly, active_members, facilitator):
    people = active_members()
    item = AgendaItemFactory(assembly=open_assembly, title="Gathering")
    services.attendance_set(actor=facilitator.user, assembly=open_assembly, people=people[:5])
    services.minutes_save(actor=facilitator.user, item=item, minutes="Rosario offered.")
    _decide(facilitator.user, open_assembly)
    return _close(open_assembly, facilitator)


@pytest.mark.parametrize(
    "write",
    [
        lambda a, who, p: services.minutes_save(actor=who, item=a.agenda_items.get(), minutes="x"),
        lambda a, who, p: _decide(who, a, without_quorum=True),
        lambda a, who, p: services.attendance_mark(actor=who, assembly=a, person=p, present=True),
        lambda a, who, p: services.attendance_set(actor=who, assembly=a, people=[]),
        lambda a, who, p: services.action_item_create(
            actor=who, assembly=a, description="x", owner=p
        ),
        lambda a, who, p: services.agenda_item_update(
            actor=who, item=a.agenda_items.get(), data={"title": "x"}
        ),
        lambda a, who, p: services.agenda_item_propose(actor=who, assembly=a, title="x"),
        lambda a, who, p: services.current_item_set(actor=who, assembly=a, item=None),
    ],
    ids=[
        "minutes",
        "decision",
        "mark present",
        "attendance",
        "action",
        "agenda edit",
        "agenda proposal",
        "current item",
    ],
)
def test_a_closed_assembly_refuses_every_edit_of_its_record(closed, facilitator, write):
    before = (
        list(Attendance.objects.values_list("person_id", flat=True).order_by("person_id")),
        Decision.objects.count(),
        list(AgendaItem.objects.values_list("title", "minutes")),
    )
    person = selectors.roster(closed).exclude(assembly_attendances__assembly=closed).first()

    with pytest.raises((ValidationError, PermissionDenied)):
        write(closed, facilitator.user, person)

    assert before == (
        list(Attendance.objects.values_list("person_id", flat=True).order_by("person_id")),
        Decision.objects.count(),
        list(AgendaItem.objects.values_list("title", "minutes")),
    )


def test_the_refusal_says_the_record_is_frozen(closed, facilitator):
    with pytest.raises(services.RecordFrozen):
        services.minutes_save(actor=facilitator.user, item=closed.agenda_items.get(), minutes="x")


def test_the_closed_run_page_hides_the_edit_controls(login, closed, facilitator):
    # In English, so the absent controls are absent for the right reason.
    Person.objects.filter(pk=facilitator.pk).update(language="en")
    page = login(facilitator.user).get(reverse("assemblies:run", args=[closed.pk]))
    html = page.content.decode()

    assert page.status_code == 200
    for control in (
        "Save the minutes",
        "Record the decision",
        "Record the action",
        "Next item",
        "aria-pressed",
    ):
        assert control not in html, control
    assert "its minutes, decisions and attendance are frozen" in html


def test_minutes_posted_to_a_closed_assembly_are_refused(login, closed, facilitator):
    item = closed.agenda_items.get()

    response = login(facilitator.user).post(
        reverse("assemblies:run_minutes", args=[closed.pk, item.pk]),
        {"minutes-minutes": "Sofia offered."},
    )

    assert response.status_code == 409
    item.refresh_from_db()
    assert item.minutes == "Rosario offered."


def test_the_api_answers_409_problem_json_for_a_closed_assembly(api_client, closed, facilitator):
    api_client.force_authenticate(facilitator.user)

    response = api_client.post(
        "/api/v1/decisions/",
        {
            "assembly": closed.pk,
            "text": "Late.",
            "method": "consent",
            "outcome": "adopted",
            "without_quorum": True,
        },
        format="json",
    )

    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 409
    assert Decision.objects.count() == 1


def test_the_api_refuses_a_decision_without_quorum_as_a_field_error(
    api_client, open_assembly, active_members, facilitator
):
    active_members()
    api_client.force_authenticate(facilitator.user)
    body = {"assembly": open_assembly.pk, "text": "Yes.", "method": "consent", "outcome": "adopted"}

    refused = api_client.post("/api/v1/decisions/", body, format="json")
    saved = api_client.post("/api/v1/decisions/", {**body, "without_quorum": True}, format="json")

    assert refused.status_code == 400 and "without_quorum" in refused.json()["errors"]
    assert saved.status_code == 201 and saved.json()["without_quorum"] is True
    listed = api_client.get("/api/v1/decisions/").json()["results"][0]
    assert (listed["without_quorum"], listed["present_count"], listed["quorum_needed"]) == (
        True,
        0,
        4,
    )


# Corrections ------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["facilitator", "note_taker", "network_admin"])
def test_who_records_the_assembly_may_correct_its_record(
    role, closed, facilitator, note_taker, network_admin, login
):
    user = {
        "facilitator": facilitator.user,
        "note_taker": note_taker.user,
        "network_admin": network_admin,
    }[role]

    response = login(user).post(
        reverse("assemblies:correction_new", args=[closed.pk]),
        {"text": "Rosario and Sofia offered.", "reason": "Sofia was left out."},
    )

    assert response.status_code == 302
    correction = Correction.objects.get()
    assert correction.author == getattr(user, "person", None)
    assert AuditEvent.objects.filter(action="assembly.correction", actor=user).exists()


@pytest.mark.parametrize("role", ["member", "coordinator"])
def test_others_may_not_correct_the_record(role, closed, member, coordinator, login):
    user = {"member": member.user, "coordinator": coordinator.user}[role]
    client = login(user)

    page = client.get(reverse("assemblies:correction_new", args=[closed.pk]))
    post = client.post(
        reverse("assemblies:correction_new", args=[closed.pk]),
        {"text": "I was there.", "reason": "Because."},
    )

    assert (page.status_code, post.status_code) == (403, 403)
    assert not Correction.objects.exists()


def test_a_correction_is_signed_by_whoever_adds_it_not_by_someone_named_in_the_request(
    api_client, closed, note_taker, facilitator, login
):
    login(note_taker.user).post(
        reverse("assemblies:correction_new", args=[closed.pk]),
        {"text": "Sofia offered too.", "reason": "Left out.", "author": facilitator.pk},
    )
    api_client.force_authenticate(note_taker.user)
    api = api_client.post(
        "/api/v1/corrections/",
        {"assembly": closed.pk, "text": "x", "reason": "y", "author": facilitator.pk},
        format="json",
    )

    assert Correction.objects.get().author == note_taker
    assert api.status_code == 400  # an unknown field is refused, not ignored


def test_an_open_assembly_is_edited_not_corrected(open_assembly, facilitator):
    with pytest.raises(ValidationError):
        services.correction_add(
            actor=facilitator.user, assembly=open_assembly, text="x", reason="y"
        )


def test_the_correction_shows_on_the_assembly_page_beside_the_record(
    login, closed, facilitator, member
):
    decision = closed.decisions.get()
    services.correction_add(
        actor=facilitator.user,
        assembly=closed,
        decision=decision,
        text="Rosario, in March.",
        reason="The month was missing.",
    )

    page = login(member.user).get(closed.get_absolute_url()).content.decode()

    assert "Corrections to the record" in page
    assert "Rosario, in March." in page and "The month was missing." in page
    assert "Fede Facilitator" in page
    assert "Rosario offered." in page  # the minutes stay as they were closed


def test_the_api_records_a_correction_and_lists_it(api_client, closed, note_taker):
    api_client.force_authenticate(note_taker.user)

    created = api_client.post(
        "/api/v1/corrections/", {"assembly": closed.pk, "text": "x", "reason": "y"}, format="json"
    )
    listed = api_client.get(f"/api/v1/corrections/?assembly={closed.pk}")

    assert created.status_code == 201
    assert [c["author"]["id"] for c in listed.json()["results"]] == [note_taker.pk]


# Audit of the agenda and the minutes ------------------------------------------------------------
def test_agenda_and_minutes_writes_are_audited(assembly, facilitator, member):
    item = services.agenda_item_propose(actor=member.user, assembly=assembly, title="Holidays")
    other = AgendaItemFactory(assembly=assembly)
    services.agenda_item_update(actor=facilitator.user, item=item, data={"title": "Summer"})
    services.agenda_item_move(actor=facilitator.user, item=other, up=True)
    services.minutes_save(actor=facilitator.user, item=item, minutes="Agreed: August.")

    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == [
        "assembly.agenda_propose",
        "assembly.agenda_update",
        "assembly.agenda_move",
        "assembly.minutes",
    ]
    minutes = AuditEvent.objects.get(action="assembly.minutes")
    assert (minutes.before, minutes.after) == ({"minutes": ""}, {"minutes": "Agreed: August."})


# Marking present on the run page ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("visitor", 302),
        ("member", 403),
        ("coordinator", 403),
        ("facilitator", 302),
        ("note_taker", 302),
        ("network_admin", 302),
    ],
)
def test_who_may_mark_people_present(
    role,
    expected,
    client,
    open_assembly,
    active_members,
    member,
    coordinator,
    facilitator,
    note_taker,
    network_admin,
):
    person = active_members()[7]  # without an account
    users = {
        "member": member.user,
        "coordinator": coordinator.user,
        "facilitator": facilitator.user,
        "note_taker": note_taker.user,
        "network_admin": network_admin,
    }
    if role in users:
        client.force_login(users[role])

    response = client.post(
        reverse("assemblies:run_mark", args=[open_assembly.pk, person.pk]), {"present": "1"}
    )

    assert response.status_code == expected
    marked = Attendance.objects.filter(assembly=open_assembly, person=person).exists()
    assert marked is (role in {"facilitator", "note_taker", "network_admin"})
    if role == "visitor":
        assert "/accounts/login/" in response["Location"]


def test_a_member_cannot_mark_themselves_present(
    login, open_assembly, active_members, member, circle
):
    active_members()
    CircleMembership.objects.create(circle=circle, person=member)
    participation_refresh([member.pk])

    response = login(member.user).post(
        reverse("assemblies:run_mark", args=[open_assembly.pk, member.pk]), {"present": "1"}
    )

    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_with_htmx_marking_answers_the_row_and_the_quorum(
    login, open_assembly, active_members, facilitator
):
    person = active_members()[0]

    response = login(facilitator.user).post(
        reverse("assemblies:run_mark", args=[open_assembly.pk, person.pk]),
        {"present": "1"},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="roster-{person.pk}"' in html and 'aria-pressed="true"' in html
    with translation.override(facilitator.language):
        count = gettext("%(count)s present of %(needed)s needed") % {"count": 1, "needed": 4}
    assert 'hx-swap-oob="true"' in html and count in html


def test_the_run_page_lists_people_without_an_account(
    login, open_assembly, active_members, facilitator
):
    people = active_members()

    html = login(facilitator.user).get(reverse("assemblies:run", args=[open_assembly.pk]))

    for person in people:
        assert f'id="roster-{person.pk}"' in html.content.decode()


@pytest.mark.parametrize("size", [5, 40])
def test_the_run_page_costs_the_same_queries_for_any_roster(
    size, login, open_assembly, active_members, facilitator, django_assert_max_num_queries
):
    people = active_members(n_with=size // 2, n_without=size - size // 2)
    services.attendance_set(actor=facilitator.user, assembly=open_assembly, people=people[:3])
    for n in range(3):
        AgendaItemFactory(assembly=open_assembly, title=f"Item {n}")
    _decide(facilitator.user, open_assembly, without_quorum=True)
    client = login(facilitator.user)

    # 17, and two for delegated votes: those the quorum counts, and the list the facilitator
    # reads; and the header bell's unread count
    with django_assert_max_num_queries(20):
        response = client.get(reverse("assemblies:run", args=[open_assembly.pk]))
    assert response.status_code == 200


def test_the_closed_page_costs_the_same_queries_with_corrections(
    login, closed, facilitator, django_assert_max_num_queries
):
    for n in range(5):
        services.correction_add(
            actor=facilitator.user,
            assembly=closed,
            text=f"Fix {n}",
            reason="Typo.",
            decision=closed.decisions.get(),
        )
    client = login(facilitator.user)

    # 17, and the delegations the quorum counts, the draft minutes and who was present; and the
    # header bell's unread count
    with django_assert_max_num_queries(21):
        assert client.get(closed.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("assemblies:run", args=[closed.pk])).status_code == 200


def test_the_polled_quorum_box_refreshes_the_page_it_sits_on(login, open_assembly, facilitator):
    run_url = reverse("assemblies:run", args=[open_assembly.pk])

    polled = login(facilitator.user).get(
        reverse("assemblies:quorum", args=[open_assembly.pk]),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{run_url}",
    )

    assert f'href="{run_url}"' in polled.content.decode()


def test_marking_in_a_tab_left_open_after_closing_reloads_the_page_and_says_why(
    login, closed, facilitator
):
    person = selectors.roster(closed).exclude(assembly_attendances__assembly=closed).first()
    client = login(facilitator.user)

    response = client.post(
        reverse("assemblies:run_mark", args=[closed.pk, person.pk]),
        {"present": "1"},
        HTTP_HX_REQUEST="true",
    )

    assert response["HX-Redirect"] == reverse("assemblies:run", args=[closed.pk])
    assert not Attendance.objects.filter(assembly=closed, person=person).exists()
    page = client.get(response["HX-Redirect"]).content.decode()
    with translation.override(facilitator.language):
        said = gettext("This assembly is closed: its record is frozen. Add a correction instead.")
    assert said in page
