"""The network at a glance on the visitors' home page: served from the cache, counted off the
request.

Counting takes seconds at a million people, and every directory write makes the count stale, so
a request never counts when a count exists: it shows the last one and, when that is stale, asks
a task to count again (once: a short lock in the cache keeps a crowd of readers from asking
twenty times). Only the very first reader, with nothing counted yet, waits for the count.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction

from members import selectors
from patio.outbox import enqueue

# A recount asked for and not yet done: no other is asked for during this many seconds.
REFRESH_LOCK_KEY = "members:glance:refreshing"
REFRESH_LOCK_SECONDS = 60


def network_at_a_glance() -> dict[str, Any]:
    glance, fresh = selectors.network_glance_cached()
    if glance is None:
        return selectors.network_glance_count()
    if not fresh and cache.add(REFRESH_LOCK_KEY, True, REFRESH_LOCK_SECONDS):
        from members.tasks import count_network_glance

        with transaction.atomic():
            enqueue(count_network_glance)
    return glance


def glance_count() -> dict[str, Any]:
    """Count again now (the task), then let the next stale reader ask again."""
    glance = selectors.network_glance_count()
    cache.delete(REFRESH_LOCK_KEY)
    return glance
