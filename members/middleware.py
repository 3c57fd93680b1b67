"""Show each person the site in their language and their timezone.

A logged-in person's own preferences win; visitors get the language LocaleMiddleware negotiated
and the timezone their browser reported in the `tz` cookie (set by static/js/patio.js), or UTC.
"""

import zoneinfo
from urllib.parse import unquote

from django.utils import timezone, translation

from members.models import timezone_names
from members.permissions import person_of


def browser_timezone(request) -> str:
    """The IANA zone the visitor's browser reported, or "" when it reported none we know.

    patio.js writes the cookie URL-encoded (`America%2FBogota`), as cookie values must be."""
    name = unquote(request.COOKIES.get("tz", "")).strip()
    return name if name in timezone_names() else ""


class PersonPreferencesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        person = person_of(getattr(request, "user", None))
        zone_name = person.timezone if person else browser_timezone(request)
        if zone_name not in timezone_names():
            zone_name = "UTC"
        timezone.activate(zoneinfo.ZoneInfo(zone_name))
        request.timezone_name = zone_name
        if person and not request.path.startswith("/i18n/"):
            translation.activate(person.language)
            request.LANGUAGE_CODE = person.language
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
