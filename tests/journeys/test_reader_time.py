"""Journey: a visitor's browser in Bogotá reports its zone, and the demo shows Bogotá times."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from playwright.sync_api import expect

from projects.models import Opportunity


def test_a_visitor_in_bogota_sees_core_hours_in_bogota_time(new_context):
    opportunity = (
        Opportunity.objects.filter(
            status=Opportunity.Status.OPEN, core_hours_start_utc__isnull=False
        )
        .order_by("pk")
        .first()
    )
    assert opportunity is not None, "the demo has an open opportunity with core hours"
    context = new_context(timezone_id="America/Bogota", locale="es-CO")
    page = context.new_page()

    page.goto("/")  # patio.js reports the zone in a cookie...
    page.goto(f"/opportunities/{opportunity.pk}/")  # ...that the next page is read in

    bogota = zoneinfo.ZoneInfo("America/Bogota")
    start = dt.datetime.combine(dt.date(2026, 1, 15), opportunity.core_hours_start_utc, dt.UTC)
    local = start.astimezone(bogota)
    local_clock = f"{local.hour}:{local:%M}"  # Colombian Spanish: 8:00, no leading zero
    expect(page.locator(".core-hours")).to_contain_text(
        re.compile(rf"(?<!\d){local_clock}.*America/Bogota")
    )
    expect(page.locator("footer")).to_contain_text("America/Bogota")
