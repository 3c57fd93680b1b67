"""iCalendar files: one per assembly, a personal feed (assemblies + own action items), and the
public feed of the public assemblies that anyone may subscribe to."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from assemblies.models import ActionItem, Assembly

PRODID = "-//Patio//Assemblies//EN"


def _uid(kind: str, pk: int) -> str:
    """Unique across installations: the row, at this site's own domain (SITE_URL), so two
    networks' assembly 12 never overwrite each other in someone's calendar."""
    return f"{kind}-{pk}@{urlsplit(settings.SITE_URL).hostname}"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def _event(assembly: Assembly, *, public: bool = False) -> Event:
    """One assembly as a VEVENT, in UTC. A `public` event shows only what a public assembly
    shows everyone: never its meeting link, which stays with members."""
    event = Event()
    event.add("uid", _uid("assembly", assembly.pk))
    # Without a METHOD (a subscribed feed), DTSTAMP is when the event last changed (RFC 5545
    # 3.8.7.2), so the public feed's bytes change only when an assembly does.
    event.add("dtstamp", assembly.updated_at if public else timezone.now())
    event.add("last-modified", assembly.updated_at)
    event.add("dtstart", assembly.start)
    event.add("dtend", assembly.end)
    event.add("summary", assembly.title)
    event.add("sequence", assembly.sequence)
    url = settings.SITE_URL + assembly.get_absolute_url()
    event.add("url", url)
    if public:
        if assembly.place:
            event.add("location", assembly.place)
        event.add(
            "description",
            _("A public assembly of the network. When it meets and what it decides: %(url)s")
            % {"url": url},
        )
    else:
        where = assembly.place or assembly.link
        if where:
            event.add("location", where)
        event.add("description", "\n".join(x for x in (assembly.link, url) if x))
    event.add(
        "status", "CANCELLED" if assembly.status == Assembly.Status.CANCELLED else "CONFIRMED"
    )
    return event


def assembly_ics(assembly: Assembly) -> bytes:
    cal = _calendar(assembly.title)
    cal.add("method", "PUBLISH")
    cal.add_component(_event(assembly))
    return cal.to_ical()


def person_feed_ics(person, *, title: str) -> bytes:
    """The network's assemblies of the last year and ahead, and the person's action-item due dates
    as all-day events."""
    cal = _calendar(title)
    since = timezone.now() - timedelta(days=365)
    for assembly in Assembly.objects.filter(start__gte=since).order_by("start"):
        cal.add_component(_event(assembly))
    actions = ActionItem.objects.filter(owner=person, due_date__isnull=False).select_related(
        "assembly"
    )
    for action in actions:
        if action.due_date is None:  # filtered out above
            continue
        event = Event()
        event.add("uid", _uid("action", action.pk))
        event.add("dtstamp", timezone.now())
        event.add("dtstart", action.due_date)
        event.add("dtend", action.due_date + timedelta(days=1))
        event.add("summary", action.description[:120])
        event.add("description", f"{action.assembly.title}\n{action.description}")
        event.add("url", settings.SITE_URL + action.assembly.get_absolute_url())
        if action.status != ActionItem.Status.OPEN:
            event.add("status", "CANCELLED" if action.status == "dropped" else "CONFIRMED")
            event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()


# How often a subscribed calendar should look again (RFC 7986 REFRESH-INTERVAL, and the
# X-PUBLISHED-TTL that Outlook and Apple Calendar read): assemblies are planned weeks ahead.
REFRESH = timedelta(hours=6)


def public_feed_ics(assemblies: QuerySet[Assembly], *, title: str) -> bytes:
    """The public assemblies as a calendar to subscribe to: no METHOD, since a subscription is
    neither an invitation (REQUEST) nor a file to import once (PUBLISH)."""
    cal = _calendar(title)
    cal.add("name", title)
    # Given as durations: icalendar knows neither property, and would write "6:00:00".
    cal.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    for assembly in assemblies:
        cal.add_component(_event(assembly, public=True))
    return cal.to_ical()
