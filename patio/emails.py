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
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
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
) -> EmailMessage:
    """The email to one person about an event of one kind, ready to send; `message_id` is its
    stable Message-ID (`message_id()`).

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
    return EmailMessage(
        " ".join(subject.split()),
        body.rstrip() + "\n\n" + footer.strip() + "\n",
        settings.DEFAULT_FROM_EMAIL,
        [to],
        connection=connection,
        headers={
            "Message-ID": message_id,
            "List-Unsubscribe": ", ".join(links),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
