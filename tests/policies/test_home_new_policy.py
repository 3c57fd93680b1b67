"""A consent round on a proposed new policy (an amendment with no policy yet) on the home page.

The home page named each round's policy, and a new policy has none: the page failed for every
member asked to answer such a round."""

from __future__ import annotations

from policies import services


def test_member_sees_a_consent_round_on_a_new_policy_on_their_home(
    client, member, colleague, voters
):
    amendment = services.amendment_propose(
        actor=member.user,
        title="Remote work allowance",
        text="Each co-op pays remote workers a monthly allowance.",
        rationale="People work from home.",
        new_policy_category="compensation",
    )
    services.amendment_move(actor=member.user, amendment=amendment, status="feedback")
    services.amendment_move(actor=member.user, amendment=amendment, status="consent")
    client.force_login(colleague.user)

    response = client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Consent rounds waiting for your answer" in page
    assert "Remote work allowance" in page
    assert "new policy" in page
