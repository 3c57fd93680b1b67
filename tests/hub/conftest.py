"""The hub's cast on top of the fixed one: a reviewing circle with a reviewer, and guides in each
state, all made through the services as people make them."""

from __future__ import annotations

import pytest

from hub import services
from hub.models import Guide
from tests.circles.factories import CircleFactory, CircleMembershipFactory
from tests.factories import PersonFactory
from tests.patio.test_valid_html import vnu_jar  # noqa: F401 - the HTML validator, a fixture

BODY = (
    "## Start with what you do every week\n\nList the tasks your co-op repeats: invoices, "
    "payroll, member shares. Then try two tools with a real month of your books."
)


def write_guide(author, circle, **fields) -> Guide:
    defaults = {
        "title": "Choosing an accounting tool",
        "summary": "What to compare before your co-op moves its books.",
        "body": BODY,
        "category": Guide.Category.CHOOSING_SOFTWARE,
        "language": "en",
        "tags": ["accounting", "Free software"],
    }
    return services.guide_create(actor=author.user, reviewer_circle=circle, **(defaults | fields))


@pytest.fixture
def reviewing_circle(db):
    return CircleFactory(name="Education", slug="education")


@pytest.fixture
def reviewer(coop, reviewing_circle):
    person = PersonFactory(
        organisation=coop, display_name="Rosa Reviewer", user__email="rosa@camplight.coop"
    )
    CircleMembershipFactory(circle=reviewing_circle, person=person)
    return person


@pytest.fixture
def draft(member, reviewing_circle):
    """Mila's draft, to be reviewed by Education."""
    return write_guide(member, reviewing_circle)


@pytest.fixture
def in_review(member, reviewing_circle):
    guide = write_guide(member, reviewing_circle, title="GDPR basics for a co-op")
    return services.guide_submit(actor=member.user, guide=guide)


@pytest.fixture
def published(member, reviewer, reviewing_circle):
    guide = write_guide(member, reviewing_circle, title="Consent decisions, step by step")
    services.guide_submit(actor=member.user, guide=guide)
    return services.guide_publish(actor=reviewer.user, guide=guide)
