"""The feedback cast on top of the fixed one: a finished project whose team is `member` (who
asks), `colleague` and `outsider` (teammates asked); `coop_admin` is a member of the network
outside the team, and `network_admin` an admin without a person."""

from __future__ import annotations

import pytest

from feedback import services
from projects.models import Project
from tests.projects.factories import ProjectFactory, TeamMembershipFactory


@pytest.fixture
def project(member, colleague, outsider):
    project = ProjectFactory(name="Member portal", status=Project.Status.FINISHED)
    for person in (member, colleague, outsider):
        TeamMembershipFactory(role__project=project, person=person)
    return project


@pytest.fixture
def ask(project, member, colleague, outsider):
    def _ask(*, by=None, people=None, on=project, **kwargs):
        return services.feedback_request(
            actor=(by or member).user,
            respondents=people if people is not None else [colleague, outsider],
            project=on,
            message=kwargs.pop("message", "How was my facilitation?"),
            **kwargs,
        )

    return _ask


def answer(person, request, **fields):
    invite = request.invites.get(respondent=person)
    fields = fields or {"went_well": "Clear agendas.", "to_change": "Shorter calls."}
    return services.answer_submit(actor=person.user, invite=invite, **fields)
