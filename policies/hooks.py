"""Slots on a policy's page that apps above policies fill (policies imports none of them).

    from policies.hooks import policy_page
    policy_page.register(my_section)  # my_section(request, policy) -> str (HTML) or ""

Each section must run a constant number of queries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from patio.hooks import Slot

if TYPE_CHECKING:
    from policies.models import Policy

policy_page: Slot[[Policy]] = Slot("policy page")
