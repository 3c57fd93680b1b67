"""Fund pages: the same selectors, permissions and services as the API."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import ModelChoiceField
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.reauth import reauthentication_required
from fund import permissions, selectors, services
from fund.filters import LedgerFilter
from fund.forms import (
    BudgetForm,
    ClaimForm,
    ContributionForm,
    FundRulesForm,
    HourlyRateForm,
    PledgeForm,
    RejectForm,
    ReverseForm,
)
from fund.models import Contribution, FundSettings, HourlyRate, LedgerEntry, PayoutClaim
from members.models import Organisation
from members.permissions import is_network_admin, person_of
from patio import i18n
from patio.charts import bar_chart
from patio.dates import network_today
from patio.exports import csv_download, download_name
from patio.filters import sent_values
from patio.forms import add_service_errors, field_of, one_time_form
from patio.http import safe_next
from patio.idempotency import form_submissions

PAGE_SIZE = 50
CENTS = Decimal("0.01")
# Page forms that move money: a second POST of the same form repeats nothing (patio.forms).
once = one_time_form(form_submissions)


def _require_member(user) -> None:
    if not permissions.can_view_fund(user):
        raise PermissionDenied


def _money(value: int | float, *, currency: str) -> str:
    return i18n.format_money(value, currency)


def _month_charts(rows: list[dict]) -> list:
    """One bar chart per currency: money in and out for each month."""
    per_currency: dict[str, list] = defaultdict(list)
    for row in rows:
        month = i18n.format_month(row["month"])
        per_currency[row["currency"]].append(
            # Translators: a bar's label in the fund's monthly chart, e.g. "Money in, October 2026".
            (_("Money in, %(month)s") % {"month": month}, row["money_in"], "in")
        )
        per_currency[row["currency"]].append(
            # Translators: a bar's label in the fund's monthly chart, e.g. "Money out, October 2026".
            (_("Money out, %(month)s") % {"month": month}, row["money_out"], "out")
        )
    legend = [("in", _("Money in")), ("out", _("Money out"))]
    return [
        (
            currency,
            bar_chart(
                items,
                title=_("Money in and out per month, %(currency)s") % {"currency": currency},
                legend=legend,
                shown=partial(_money, currency=currency),
            ),
        )
        for currency, items in sorted(per_currency.items())
    ]


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    _require_member(request.user)
    user = request.user
    context = {
        "balances": selectors.balances(),
        "budgets": selectors.budgets_vs_actuals(),
        "charts": _month_charts(selectors.monthly_in_out()),
        "rates": HourlyRate.objects.all(),
        "is_finance": permissions.is_finance(user),
        "can_record": permissions.can_record_any_contribution(user),
        "can_pledges": permissions.can_view_pledges(user),
        "can_budget": permissions.can_set_budget(user),
        "has_person": person_of(user) is not None,
    }
    return render(request, "fund/overview.html", context)


def _ledger_filter(request):
    return LedgerFilter(request.GET or None, queryset=selectors.ledger_entries(request.user))


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    _require_member(request.user)
    filterset = _ledger_filter(request)
    entries = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page = Paginator(entries.order_by("-occurred_on", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "filter": filterset,
        "page": page,
        "can_correct": permissions.can_correct_ledger(request.user),
        "query": request.GET.urlencode(),
    }
    return render(request, "fund/ledger.html", context)


@login_required
def ledger_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered ledger as CSV: amounts as written in the books (a dot, two places)."""
    _require_member(request.user)
    filterset = _ledger_filter(request)
    entries = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    header = [
        "id",
        "date",
        "kind",
        "amount",
        "currency",
        "description",
        "organisation",
        "circle",
        "reverses",
    ]
    rows = (
        [
            e.pk,
            e.occurred_on.isoformat(),
            e.kind,
            e.amount.quantize(CENTS),  # a number: a negative one is no formula
            e.currency,
            e.description,
            e.organisation.name if e.organisation else "",
            e.circle.name if e.circle else "",
            e.reversal_of_id or "",
        ]
        for e in entries.order_by("occurred_on", "id").iterator(chunk_size=500)
    )
    return csv_download(
        rows, header=header, name=download_name("fund-ledger", sent_values(filterset))
    )


@login_required
@once
def entry_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_correct_ledger(request.user):
        raise PermissionDenied
    entry = get_object_or_404(selectors.ledger_entries(request.user), pk=pk)
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_reverse(actor=request.user, entry=entry, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The entry is reversed by a correction."))
            return redirect("fund:ledger")
    return render(request, "fund/entry_reverse.html", {"entry": entry, "form": form})


# Contributions, pledges, budgets ---------------------------------------------------------------
def _organisations_for(user):
    if permissions.is_finance(user):
        return Organisation.objects.order_by("name")
    person = person_of(user)
    if person is not None and person.is_coop_admin:
        return Organisation.objects.filter(pk=person.organisation_id)
    return Organisation.objects.none()


@login_required
@once
def contribution_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_record_any_contribution(request.user):
        raise PermissionDenied
    organisations = _organisations_for(request.user)
    form = ContributionForm(
        request.POST or None,
        organisations=organisations,
        pledges=selectors.pledges(request.user).filter(active=True),
    )
    if len(organisations) == 1:
        form.fields["organisation"].initial = organisations[0].pk
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_record(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The contribution is recorded. It counts in the balance once a finance "
                    "approver confirms that it arrived."
                ),
            )
            return redirect("fund:contributions")
    return render(request, "fund/contribution_form.html", {"form": form})


@login_required
def contributions(request: HttpRequest) -> HttpResponse:
    """Contributions as recorded, newest first; a finance approver confirms pending ones here."""
    _require_member(request.user)
    waiting = selectors.contributions_to_confirm(request.user)
    rows = selectors.contributions(request.user).select_related("recorded_by")
    status = request.GET.get("status")
    if status in Contribution.Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows.order_by("-created_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    confirmable = set(waiting.filter(pk__in=[c.pk for c in page]).values_list("pk", flat=True))
    context = {
        "page": page,
        "confirmable": confirmable,
        "waiting_count": waiting.count(),
        "status": status,
        "statuses": Contribution.Status.choices,
        "can_record": permissions.can_record_any_contribution(request.user),
    }
    return render(request, "fund/contributions.html", context)


@login_required
@require_POST
@once
def contribution_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = get_object_or_404(selectors.contributions(request.user), pk=pk)
    try:
        services.contribution_confirm(actor=request.user, contribution=contribution)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("The contribution from %(name)s is confirmed and counts in the balance.")
            % {"name": contribution.organisation.name},
        )
    return redirect(safe_next(request, reverse("fund:contributions")))


@login_required
@require_POST
def contribution_decline(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = get_object_or_404(selectors.contributions(request.user), pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the contribution is declined."))
        return redirect(safe_next(request, reverse("fund:contributions")))
    try:
        services.contribution_decline(
            actor=request.user, contribution=contribution, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("The contribution from %(name)s is declined; its recorder is told why.")
            % {"name": contribution.organisation.name},
        )
    return redirect(safe_next(request, reverse("fund:contributions")))


@login_required
def pledges(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_pledges(request.user):
        raise PermissionDenied
    rows = selectors.pledges(request.user).order_by("-active", "next_due_on", "id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "fund/pledges.html", {"page": page, "today": network_today()})


@login_required
@once
def pledge_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_pledges(request.user):
        raise PermissionDenied
    form = PledgeForm(request.POST or None, organisations=_organisations_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The pledge is saved."))
            return redirect("fund:pledges")
    return render(request, "fund/pledge_form.html", {"form": form})


@login_required
@require_POST
@once
def pledge_end(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = get_object_or_404(selectors.pledges(request.user), pk=pk)
    services.pledge_end(actor=request.user, pledge=pledge)
    messages.success(request, _("The pledge has ended."))
    return redirect("fund:pledges")


@login_required
@once
def budget_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_set_budget(request.user):
        raise PermissionDenied
    form = BudgetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_set(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The budget is set."))
            return redirect("fund:overview")
    return render(request, "fund/budget_form.html", {"form": form})


# Claims ----------------------------------------------------------------------------------------
@login_required
def my_claims(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    if person is None:
        raise PermissionDenied
    rows = selectors.claims(request.user).filter(person=person).order_by("-created_at", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "fund/my_claims.html", {"page": page})


@login_required
@once
def claim_new(request: HttpRequest) -> HttpResponse:
    if person_of(request.user) is None:
        raise PermissionDenied
    currencies = list(HourlyRate.objects.values_list("currency", flat=True))
    form = ClaimForm(
        request.POST or None,
        circles=permissions.claimable_circles(request.user),
        currencies=currencies,
    )
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            claim = services.claim_create(actor=request.user, submit=submit, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your claim is sent to the approvers.") if submit else _("Your draft is saved."),
            )
            return redirect(claim)
    claimable = field_of(form, "circle", ModelChoiceField).queryset
    context = {
        "form": form,
        "rates": HourlyRate.objects.all(),
        "circles_empty": not claimable.exists() if claimable is not None else True,
    }
    return render(request, "fund/claim_form.html", context)


def _claim_for(user, pk: int) -> PayoutClaim:
    """The one way views look up a claim: 404 unless it is the user's or they keep the books."""
    return get_object_or_404(selectors.claims(user), pk=pk)


@login_required
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_for(request.user, pk)
    approvals = list(claim.approvals.select_related("approver"))
    context = {
        "claim": claim,
        "approvals": approvals,
        "actions": permissions.claim_actions(
            request.user, claim, approver_ids={a.approver_id for a in approvals}
        ),
        "reject_form": RejectForm(),
        "entry": LedgerEntry.objects.filter(claim=claim).first(),
        "approvals_needed": FundSettings.load().approvals_needed,
    }
    return render(request, "fund/claim_detail.html", context)


def _claim_action(request, pk: int, service, success: str, **kwargs) -> HttpResponse:
    claim = _claim_for(request.user, pk)
    try:
        service(actor=request.user, claim=claim, **kwargs)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, success)
    return redirect(safe_next(request, claim.get_absolute_url()))


@login_required
@require_POST
@once
def claim_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _claim_action(
        request, pk, services.claim_submit, _("Your claim is sent to the approvers.")
    )


@login_required
@require_POST
@once
def claim_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _claim_action(request, pk, services.claim_withdraw, _("Your claim is withdrawn."))


@login_required
@require_POST
@once
def claim_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _claim_action(request, pk, services.claim_approve, _("Your approval is recorded."))


@login_required
@require_POST
@once
def claim_reject(request: HttpRequest, pk: int) -> HttpResponse:
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the claim is rejected."))
        return redirect("fund:claim", pk=pk)
    return _claim_action(
        request,
        pk,
        services.claim_reject,
        _("The claim is rejected."),
        reason=form.cleaned_data["reason"],
    )


@login_required
@require_POST
@once
def claim_pay(request: HttpRequest, pk: int) -> HttpResponse:
    return _claim_action(
        request, pk, services.claim_pay, _("The payment is recorded in the ledger.")
    )


@login_required
def approval_queue(request: HttpRequest) -> HttpResponse:
    if not permissions.is_finance(request.user):
        raise PermissionDenied
    rows = selectors.approval_queue(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "can_approve": permissions.is_finance_member(request.user),
        "is_admin_only": is_network_admin(request.user) and person_of(request.user) is None,
    }
    return render(request, "fund/approval_queue.html", context)


# Rules and rates -------------------------------------------------------------------------------
@login_required
@reauthentication_required
def fund_rules(request: HttpRequest) -> HttpResponse:
    """The approval rule, the finance circle and the hourly rates: changed only here or in the
    services, audited, after the person proves again who they are."""
    can_rules = permissions.can_change_fund_rules(request.user)
    can_rates = permissions.is_finance(request.user)
    if not (can_rules or can_rates):
        raise PermissionDenied
    current = FundSettings.load()
    posted = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if posted is not None else None
    rules_form = FundRulesForm(
        posted if which == "rules" else None,
        initial={
            "approvals_needed": current.approvals_needed,
            "finance_circle": current.finance_circle_id,
        },
    )
    rate_form = HourlyRateForm(posted if which == "rate" else None)
    if which == "rules" and rules_form.is_valid():
        try:
            services.fund_settings_set(actor=request.user, **rules_form.cleaned_data)
        except ValidationError as error:
            add_service_errors(rules_form, error)
        else:
            messages.success(request, _("The approval rule is saved."))
            return redirect("fund:rules")
    if which == "rate" and rate_form.is_valid():
        try:
            services.hourly_rate_set(actor=request.user, **rate_form.cleaned_data)
        except ValidationError as error:
            add_service_errors(rate_form, error)
        else:
            messages.success(request, _("The hourly rate is saved."))
            return redirect("fund:rules")
    context = {
        "rules_form": rules_form,
        "rate_form": rate_form,
        "can_rules": can_rules,
        "can_rates": can_rates,
        "rates": HourlyRate.objects.all(),
    }
    return render(request, "fund/rules.html", context)


# Public ----------------------------------------------------------------------------------------
def transparency(request: HttpRequest) -> HttpResponse:
    """For anyone, logged in or not: totals only, and names only of people who agreed."""
    totals = selectors.public_totals()
    context = {**totals, "charts": _month_charts(totals["months"])}
    return render(request, "fund/transparency.html", context)
