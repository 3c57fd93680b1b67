"""schema.org JSON-LD for the common fund's public totals (patio.linked_data): each figure of
its public page a `MonetaryAmount`, named by what it counts, and nothing the page keeps back
(no contribution, claim or person)."""

from __future__ import annotations

import calendar
from typing import Any

from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from patio.linked_data import Document, day, document, number


def _amount(fragment: str, name: str, currency: str, value: Any, **properties: Any) -> Document:
    page = reverse("fund:transparency")
    return document(
        "MonetaryAmount",
        f"{page}#{fragment}",
        name=name,
        currency=currency,
        value=number(value),
        **properties,
    )


def totals_documents(totals: dict[str, Any]) -> list[Document]:
    """`totals` as `fund.selectors.public_totals()` gives them: each balance, each month's
    money in and out, and what each circle was paid."""
    documents = [
        _amount(
            f"balance-{currency}",
            _("Balance of the common fund"),
            currency,
            amount,
        )
        for currency, amount in totals["balances"].items()
    ]
    for row in totals["months"]:
        month = row["month"]
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        period = {"validFrom": day(month), "validThrough": day(last)}
        key = f"{month:%Y-%m}-{row['currency']}"
        documents.append(
            _amount(
                f"in-{key}",
                _("Money into the common fund"),
                row["currency"],
                row["money_in"],
                **period,
            )
        )
        documents.append(
            _amount(
                f"out-{key}",
                _("Money paid out by the common fund"),
                row["currency"],
                row["money_out"],
                **period,
            )
        )
    for row in totals["by_circle"]:
        documents.append(
            _amount(
                f"circle-{slugify(row['circle'])}-{row['currency']}",
                _("Paid for work in the %(circle)s circle") % {"circle": row["circle"]},
                row["currency"],
                row["total"],
                description=ngettext("%(count)s payout", "%(count)s payouts", row["count"])
                % {"count": row["count"]},
            )
        )
    return documents
