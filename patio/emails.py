"""Email about a kind of event, with a one-click unsubscribe for that kind.

Every email the platform sends because something happened (an opportunity opened, an assembly
is tomorrow, a consent round waits) belongs to a *kind* that the sending app registers here, in
its AppConfig.ready. `event_message()` builds the email: the body ends with a link that stops
this kind and a link to the preferences page, and the headers carry the same link for mail
programs (RFC 2369 `List-Unsubscribe`, RFC 8058 `List-Unsubscribe-Post: List-Unsubscribe=One-Click`).

The link holds a signed token naming one person and one kind, so it works without logging in
and cannot be made up for someone else. patio knows no app: the app that keeps people's
preferences registers the URL names of its unsubscribe and preferences pages, and decides what
"unsubscribed" means for each kind.

What happens to an event email when it is sent is decided in one place too: `event_message()`
returns an `EventMessage`, whose `send()` asks the listener registered with
`register_event_listener()` (the notifications app: it records the event in the person's in-app
list and holds the email for a digest when they chose one) whether to send it now. Without a
listener it is sent, as any email.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

# What django-stubs calls StrOrPromise: text, or a lazy translation of it.
StrOrPromise = str | Promise

SALT = "patio.emails.unsubscribe"


@dataclass(frozen=True)
class EmailKind:
    key: str
    label: StrOrPromise  # a lazy translation
    description: StrOrPromise = ""
    order: int = 100


_KINDS: dict[str, EmailKind] = {}
_PAGES: dict[str, str] = {}
_LISTENERS: list[Callable[[EventMessage], bool]] = []


def register_kind(
    key: str, *, label: StrOrPromise, description: StrOrPromise = "", order: int = 100
) -> EmailKind:
    """Declare a kind of event email. Registering the same key again replaces it (tests, reloads)."""
    kind = EmailKind(key=key, label=label, description=description, order=order)
    _KINDS[key] = kind
    return kind


def kinds() -> list[EmailKind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.key))


def kind_named(key: str) -> EmailKind | None:
    return _KINDS.get(key)


def register_pages(*, unsubscribe: str, preferences: str) -> None:
    """Name the URL patterns of the unsubscribe page (taking the token) and the preferences page."""
    _PAGES.update(unsubscribe=unsubscribe, preferences=preferences)


def unsubscribe_token(*, person_id: int, kind: str) -> str:
    return signing.dumps([person_id, kind], salt=SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """The person id and kind a token names. Raises signing.BadSignature for a token that was
    not made here, was changed, or names a kind nobody registered."""
    try:
        person_id, kind = signing.loads(token, salt=SALT)
    except (TypeError, ValueError) as error:  # a signed value of another shape
        raise signing.BadSignature("not an unsubscribe token") from error
    if not isinstance(person_id, int) or kind not in _KINDS:
        raise signing.BadSignature("not an unsubscribe token")
    return person_id, kind


def unsubscribe_url(*, person_id: int, kind: str) -> str:
    token = unsubscribe_token(person_id=person_id, kind=kind)
    return settings.SITE_URL + reverse(_PAGES["unsubscribe"], args=[token])


def preferences_url() -> str:
    return settings.SITE_URL + reverse(_PAGES["preferences"])


def message_id(row: models.Model, *parts: object) -> str:
    """The Message-ID of the email about `row` (and `parts`, when one row has several emails: a
    person, a purpose): the same every time it is built, so an email that goes twice (a worker
    killed between sending and marking it sent, patio.delivery) carries one id that mail programs
    and people can recognise as a repeat (RFC 5322 3.6.4)."""
    domain = settings.EMAIL_MESSAGE_ID_DOMAIN or urlsplit(settings.SITE_URL).hostname or "patio"
    local = ".".join([row._meta.label_lower, str(row.pk), *(str(part) for part in parts)])
    return f"<{local}@{domain}>"


def group_message_id(model: type[models.Model], ids: Iterable[int], *parts: object) -> str:
    """The Message-ID of one email about a set of rows (a digest): stable for the same set."""
    ids = sorted(ids)
    digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:16]
    return message_id(model(pk=ids[0]), *parts, digest)


def plain_message(*, to: str, subject: str, body: str, message_id: str) -> EmailMessage:
    """An email that is not about an event one can unsubscribe from (an invitation, a reply to
    one's own request), from the site's address, with its stable Message-ID."""
    return EmailMessage(
        " ".join(subject.split()),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [to],
        headers={"Message-ID": message_id},
    )


class EventMessage(EmailMessage):
    """An event email: which kind, for which person, what it is about (a title and a link, for
    the in-app list). `send()` lets the registered listener decide whether it goes now."""

    def __init__(
        self,
        *args: object,
        kind: str,
        person_id: int,
        title: str,
        url: str,
        listened: bool = True,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.kind, self.person_id, self.title, self.url = kind, person_id, title, url
        self.listened = listened

    def send(self, fail_silently: bool = False, **kwargs: Any) -> int:
        if self.listened:
            for listener in _LISTENERS:
                if not listener(self):
                    return 0  # held for a digest, or not wanted by email: the listener kept it
        return super().send(fail_silently, **kwargs)


def register_event_listener(listener: Callable[[EventMessage], bool]) -> None:
    """Call `listener(message)` as each event email is sent; it returns whether to send it now.
    Registering the same function again changes nothing."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def first_link(body: str) -> str:
    """The first address of this site in an email's body: what the email is about, when its
    sender named nothing else."""
    for word in body.split():
        if word.startswith(settings.SITE_URL):
            return word.rstrip(".,;:)>\"'")
    return ""


def event_message(
    *,
    kind: str,
    person_id: int,
    to: str,
    subject: str,
    body: str,
    language: str,
    message_id: str,
    connection: BaseEmailBackend | None = None,
    title: str = "",
    url: str = "",
    listened: bool = True,
) -> EventMessage:
    """The email to one person about an event of one kind, ready to send; `message_id` is its
    stable Message-ID (`message_id()`). `title` and `url` say what it is about for the in-app
    list (the subject and the body's first link of the site when not given); `listened=False`
    is for the digests, which are already what the listener made of earlier emails.

    The footer is written in `language` (the person's), like the rest of the email."""
    if kind not in _KINDS:
        raise LookupError(f"unregistered email kind {kind!r}")
    stop = unsubscribe_url(person_id=person_id, kind=kind)
    with translation.override(language):
        footer = render_to_string(
            "emails/unsubscribe_footer.txt",
            {"kind": _KINDS[kind], "unsubscribe_url": stop, "preferences_url": preferences_url()},
        )
    links = [f"<{stop}>"]
    mailto = settings.EMAIL_UNSUBSCRIBE_MAILTO
    if mailto:
        token = unsubscribe_token(person_id=person_id, kind=kind)
        links.append(f"<mailto:{mailto}?subject=unsubscribe%20{token}>")
    subject = " ".join(subject.split())
    return EventMessage(
        subject,
        body.rstrip() + "\n\n" + footer.strip() + "\n",
        settings.DEFAULT_FROM_EMAIL,
        [to],
        connection=connection,
        headers={
            "Message-ID": message_id,
            "List-Unsubscribe": ", ".join(links),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        kind=kind,
        person_id=person_id,
        title=" ".join(title.split()) or subject,
        url=url or first_link(body),
        listened=listened,
    )
