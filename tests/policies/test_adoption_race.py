"""Two admins click "Adopt" at the same moment: one version is created, the other is told."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from policies import services
from policies.models import Amendment, AmendmentTransition, PolicyVersion
from tests.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_adoption_creates_exactly_one_version_when_two_admins_click_at_once(
    in_round, network_admin, policy
):
    other_admin = UserFactory(email="second-admin@patio.coop", is_staff=True)
    services.rounds_close_due(now=services.open_round(in_round).closes_at)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def click(user) -> None:
        try:
            barrier.wait()
            services.amendment_adopt(actor=user, amendment=Amendment.objects.get(pk=in_round.pk))
            outcomes.append("adopted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(u,)) for u in (network_admin, other_admin)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["adopted", "refused"]
    assert PolicyVersion.objects.filter(policy=policy).count() == 2
    assert PolicyVersion.objects.filter(amendment=in_round).count() == 1
    assert AmendmentTransition.objects.filter(amendment=in_round, to_status="adopted").count() == 1
