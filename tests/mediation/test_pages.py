"""The mediation pages run a constant number of queries, whatever the number of cases, people
named and notes; and the case page shows what each reader may do."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mediation import services
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

QUEUE_QUERIES = 14
CASE_QUERIES = 22


def _cases(open_case, n: int) -> list:
    return [
        open_case(involved=[PersonFactory(), PersonFactory()], text=f"Quarrel {i}")
        for i in range(n)
    ]


@pytest.mark.parametrize("size", [2, 6])
def test_the_queue_runs_the_same_queries_for_2_or_6_cases(
    client, open_case, colleague, size, django_assert_max_num_queries
):
    _cases(open_case, size)
    client.force_login(colleague.user)
    with django_assert_max_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("mediation:queue"))
    assert len(response.context["open_cases"]) == size


@pytest.mark.parametrize("size", [1, 5])
def test_the_case_page_runs_the_same_queries_for_1_or_5_notes(
    client, case, colleague, member, size, django_assert_max_num_queries
):
    for i in range(size):
        author = member if i % 2 else colleague
        services.case_note_add(actor=author.user, case=case, body=f"Note {i}")
    client.force_login(colleague.user)
    with django_assert_max_num_queries(CASE_QUERIES):
        response = client.get(case.get_absolute_url())
    assert len(response.context["notes"]) == size


@pytest.mark.parametrize("size", [1, 4])
def test_my_cases_runs_the_same_queries_for_1_or_4_cases(
    client, open_case, member, size, django_assert_max_num_queries
):
    _cases(open_case, size)
    client.force_login(member.user)
    with django_assert_max_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("mediation:mine"))
    assert len(response.context["cases"]) == size


def test_the_requester_sees_the_state_and_the_meeting_but_no_buttons_to_move_it(
    client, case, member
):
    client.force_login(member.user)
    page = client.get(case.get_absolute_url())
    assert page.context["moves"] == [] and page.context["meeting_form"] is None
    assert page.context["note_form"] is not None
    assert b"Received" in page.content


def test_the_mediator_sees_the_moves_a_received_case_may_make(client, case, colleague):
    client.force_login(colleague.user)
    page = client.get(case.get_absolute_url())
    assert [state for state, _label in page.context["moves"]] == [
        "in_mediation",
        "no_agreement",
        "escalated",
    ]
    assert page.context["meeting_form"] is not None


def test_a_mediator_finds_the_waiting_cases_on_their_home_and_others_do_not(
    client, case, colleague, coop_admin, member, outsider
):
    client.force_login(colleague.user)
    home = client.get("/").content.decode()
    assert "Mediation cases waiting" in home and case.get_absolute_url() in home
    for person in (coop_admin, member, outsider):  # named, the requester, named
        client.force_login(person.user)
        home = client.get("/").content.decode()
        assert case.get_absolute_url() not in home, person


def test_only_network_admins_choose_the_circles_that_mediate(
    mediation_circle, colleague, network_admin
):
    from django.core.exceptions import PermissionDenied

    from circles.services import circle_update

    with pytest.raises(PermissionDenied):
        circle_update(
            actor=colleague.user, circle=mediation_circle, data={"handles_conflicts": False}
        )
    circle_update(actor=network_admin, circle=mediation_circle, data={"handles_conflicts": False})
    mediation_circle.refresh_from_db()
    assert not mediation_circle.handles_conflicts
