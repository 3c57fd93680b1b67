from __future__ import annotations

import itertools

import pytest
from django.conf import settings

from members.models import Person
from patio import emails

_numbers = itertools.count(1)


@pytest.fixture
def event():
    """Send `person` an event email of `kind` the way every app does (patio.emails), so the
    notifications app records it, and sends or holds it, on the real path."""

    def _event(person: Person, title: str, *, kind: str = "discussion_replies", path: str = "/"):
        number = next(_numbers)
        return emails.event_message(
            kind=kind,
            person_id=person.pk,
            to=person.email_address,
            subject=f"Re: {title}",
            body=f"Someone answered.\n\n{settings.SITE_URL}{path}\n",
            language=person.language,
            message_id=f"<tests.event.{number}@patio.example>",
            title=title,
        ).send()

    return _event
