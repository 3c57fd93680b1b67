"""The policy pages: index by category, the current text and its history, comparing versions,
the amendment page, what's waiting for me; visibility; bad input; constant query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from policies import services
from policies.models import ConsentResponse, Policy, PolicyVersion
from tests.factories import PersonFactory
from tests.policies.factories import AmendmentFactory, PolicyFactory, PolicyVersionFactory

pytestmark = pytest.mark.django_db


def test_visitors_see_only_public_policies_in_the_index(client, policy, public_policy):
    page = client.get(reverse("policies:index")).content.decode()
    assert public_policy.title in page and policy.title not in page


def test_members_see_every_policy_grouped_by_category(login, member, policy, public_policy):
    page = login(member.user).get(reverse("policies:index")).content.decode()
    assert page.index("Decision making") < page.index(policy.title)
    assert page.index("Feedback") < page.index(public_policy.title)


def test_the_policy_page_shows_the_current_text_as_sanitised_markdown(client, public_policy):
    PolicyVersionFactory(
        policy=public_policy, number=2, text="**Be kind.** <script>alert(1)</script>"
    )
    page = client.get(public_policy.get_absolute_url()).content.decode()
    assert "<strong>Be kind.</strong>" in page
    assert "<script>alert(1)" not in page
    assert "founding text" in page  # version 1 in the history


def test_visitors_never_see_amendments_of_a_public_policy(client, public_policy, member):
    AmendmentFactory(policy=public_policy, title="Secret rework", proposer=member)
    page = client.get(public_policy.get_absolute_url()).content.decode()
    assert "Secret rework" not in page


def test_comparing_two_versions_shows_an_inline_word_diff(client, public_policy):
    PolicyVersionFactory(policy=public_policy, number=2, text="Feedback is kind and timely.")
    url = reverse("policies:compare", args=[public_policy.slug])
    page = client.get(url, {"a": 1, "b": 2}).content.decode()
    assert "<del>specific</del>" in page and "<ins>timely</ins>" in page


def test_comparing_with_a_version_that_does_not_exist_shows_a_form_error(client, public_policy):
    url = reverse("policies:compare", args=[public_policy.slug])
    response = client.get(url, {"a": 1, "b": 9})
    assert response.status_code == 200
    assert "<del>" not in response.content.decode()
    assert response.context["form"].errors


def test_a_members_only_policy_cannot_be_compared_by_visitors(client, policy):
    response = client.get(reverse("policies:compare", args=[policy.slug]), {"a": 1, "b": 1})
    assert response.status_code == 404


def test_the_amendment_page_shows_the_diff_and_the_answers_with_reasons(
    login, in_round, colleague, outsider
):
    round = services.open_round(in_round)
    services.consent_respond(
        actor=outsider.user, round=round, answer="objection", reason="Seven <b>is</b> short."
    )
    page = login(colleague.user).get(in_round.get_absolute_url()).content.decode()
    assert "<ins>" in page and "seven" in page
    assert "Seven &lt;b&gt;is&lt;/b&gt; short." in page
    assert outsider.display_name in page


def test_an_objection_without_reason_on_the_page_shows_a_form_error_and_saves_nothing(
    login, in_round, colleague
):
    url = reverse("policies:amendment_respond", args=[in_round.pk])
    response = login(colleague.user).post(url, {"answer": "objection", "reason": ""})
    assert response.status_code == 200
    assert "An objection needs a reason." in response.content.decode()
    assert not ConsentResponse.objects.exists()


def test_a_new_policy_proposal_without_a_category_is_refused_on_the_page(login, member):
    response = login(member.user).post(
        reverse("policies:new_policy"), {"title": "Pay", "text": "x", "rationale": "y"}
    )
    assert response.status_code == 200 and response.context["form"].errors


def test_waiting_for_me_lists_the_rounds_i_have_not_answered(login, in_round, colleague, outsider):
    round = services.open_round(in_round)
    services.consent_respond(actor=outsider.user, round=round, answer="consent")
    mine = login(colleague.user).get(reverse("policies:waiting")).content.decode()
    assert in_round.title in mine
    answered = login(outsider.user).get(reverse("policies:waiting")).content.decode()
    assert in_round.title not in answered


def test_waiting_for_me_lists_objections_to_my_amendment(client, in_round, member, outsider):
    round = services.open_round(in_round)
    services.consent_respond(actor=outsider.user, round=round, answer="objection", reason="No.")
    client.force_login(member.user)
    context = client.get(reverse("policies:waiting")).context
    assert [r.pk for r in context["objections"]] == [round.pk]


def test_waiting_for_me_lists_policies_my_circle_must_review(client, policy, owner):
    Policy.objects.filter(pk=policy.pk).update(review_date=timezone.localdate() + timedelta(days=3))
    client.force_login(owner.user)
    assert [p.pk for p in client.get(reverse("policies:waiting")).context["reviews"]] == [policy.pk]


# Query counts ---------------------------------------------------------------------------------
def _policies(size: int) -> None:
    for n in range(size):
        policy = PolicyFactory(category=Policy.Category.values[n % 6])
        PolicyVersionFactory(policy=policy, number=1)
        AmendmentFactory(policy=policy)


@pytest.mark.parametrize("size", [2, 14])
def test_the_index_runs_a_constant_number_of_queries(
    login, member, size, django_assert_max_num_queries
):
    _policies(size)
    client = login(member.user)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("policies:index")).status_code == 200


@pytest.mark.parametrize("size", [2, 14])
def test_the_policy_page_runs_a_constant_number_of_queries(
    login, member, policy, size, django_assert_max_num_queries
):
    for n in range(size):
        amendment = AmendmentFactory(policy=policy, proposer=member, status="adopted")
        PolicyVersion.objects.create(
            policy=policy,
            number=n + 2,
            text=f"Text {n}",
            effective_date=timezone.localdate(),
            amendment=amendment,
        )
        AmendmentFactory(policy=policy)
    client = login(member.user)
    with django_assert_max_num_queries(10):
        assert client.get(policy.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("size", [2, 14])
def test_the_amendment_page_runs_a_constant_number_of_queries(
    login, in_round, member, size, django_assert_max_num_queries
):
    round = services.open_round(in_round)
    for n in range(size):
        person = PersonFactory()
        answer = "objection" if n % 3 == 0 else "consent"
        ConsentResponse.objects.create(round=round, person=person, answer=answer, reason="Why")
        services.comment_add(actor=person.user, amendment=in_round, body=f"Comment {n}")
    client = login(member.user)
    with django_assert_max_num_queries(22):
        assert client.get(in_round.get_absolute_url()).status_code == 200


def test_a_policy_keeps_its_headings_lists_and_tables_for_screen_readers(client, public_policy):
    text = (
        "# Purpose\n\nWhy we decide together.\n\n## Consent\n\n- no objection\n- a reason\n\n"
        "### Objections\n\n| Kind | Who |\n| --- | --- |\n| paramount | anyone |\n\n"
        "##### Detail\n\n<h2 onclick=x>Forged</h2>"
    )
    PolicyVersionFactory(policy=public_policy, number=2, text=text)

    page = client.get(public_policy.get_absolute_url()).content.decode()

    # The page's own h1 stays the only one; the text's levels become h2-h4 under it.
    assert page.count("<h1") == 1
    assert "<h2>Purpose</h2>" in page and "<h2>Consent</h2>" in page
    assert "<h3>Objections</h3>" in page and "<h4>Detail</h4>" in page
    assert "<li>no objection</li>" in page
    assert "<th>Kind</th>" in page and "<td>paramount</td>" in page
    assert "<h2 onclick" not in page  # raw HTML is sanitised: the heading stays, the script goes
