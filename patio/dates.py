"""What "today" means on the network.

Memberships, terms, due dates, pledges and consent rounds are dated. A date has to mean the same
thing whoever writes it and whoever reads it: a coordinator in Tokyo approving a member at 08:00,
a reader in Bogotá the evening before, and a Celery worker that runs in UTC. So every such date is
the **network's date**, the calendar day in `settings.NETWORK_TIMEZONE` (UTC unless configured),
never the actor's local date (`timezone.localdate()` reads the zone activated for the reader).

Times of day stay datetimes in UTC and are shown in the reader's zone; only calendar dates that
the network keeps go through here.
"""

from __future__ import annotations

import datetime
import zoneinfo
from functools import cache

from django.conf import settings
from django.utils import timezone


@cache
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def network_timezone() -> zoneinfo.ZoneInfo:
    return _zone(settings.NETWORK_TIMEZONE)


def network_today() -> datetime.date:
    """Today's date on the network's calendar."""
    return network_date(timezone.now())


def network_date(moment: datetime.datetime) -> datetime.date:
    """The network's calendar date of an aware moment."""
    return moment.astimezone(network_timezone()).date()
