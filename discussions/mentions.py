"""`@handle` mentions. A person's handle is their display name as a slug ("Ana García" is
`@ana-garcia`), the one people see on every comment; when two people share it, `@ana-garcia-17`
(their number, as in their profile's address) names one of them. An ambiguous handle names
nobody rather than the wrong person."""

from __future__ import annotations

import re
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.text import slugify

from members.models import Person

MAX_MENTIONS = 10
_MENTION = re.compile(r"(?<![\w@/])@([a-z0-9][a-z0-9-]*[a-z0-9]|[a-z0-9])", re.IGNORECASE)
_NUMBERED = re.compile(r"^(.*)-(\d+)$")


def handle_of(person: Person) -> str:
    return slugify(person.display_name) or f"person-{person.pk}"


def handles_in(text: str) -> list[str]:
    found = [match.lower() for match in _MENTION.findall(text or "")]
    return list(dict.fromkeys(found))[:MAX_MENTIONS]


def people_mentioned(text: str) -> list[Person]:
    """The people the text names, each once (one query)."""
    handles = handles_in(text)
    if not handles:
        return []
    numbered = {int(m.group(2)): m.group(1) for h in handles if (m := _NUMBERED.match(h))}
    first_words = {h.split("-")[0] for h in handles}
    conditions = [Q(display_name__folded__istartswith=word) for word in first_words]
    conditions.append(Q(pk__in=list(numbered)))
    candidates = list(
        Person.objects.filter(reduce(or_, conditions)).select_related("user").order_by("pk")[:500]
    )
    people: dict[int, Person] = {}
    for handle in handles:
        named = [p for p in candidates if handle_of(p) == handle]
        if len(named) == 1:
            people[named[0].pk] = named[0]
        match = _NUMBERED.match(handle)
        if match and not named:
            pk, prefix = int(match.group(2)), match.group(1)
            person = next((p for p in candidates if p.pk == pk), None)
            if person is not None and handle_of(person) == prefix:
                people[pk] = person
    return list(people.values())
