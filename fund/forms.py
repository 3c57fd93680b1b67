"""Fund forms: they check the shape of input; the services check the rules."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from assemblies.models import Decision
from circles.models import Circle
from fund.models import Contribution, Pledge
from fund.money import MAX_AMOUNT, currency_choices
from members.models import Organisation
from patio.dates import network_today
from patio.forms import field_of


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _amount(label=None, minimum=Decimal("0.01")):
    return forms.DecimalField(
        label=label or _("Amount"),
        max_digits=14,
        decimal_places=2,
        min_value=minimum,
        max_value=MAX_AMOUNT,
    )


def _currency():
    return forms.ChoiceField(label=_("Currency"), choices=currency_choices(), initial="EUR")


class ContributionForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("From"), queryset=Organisation.objects.none())
    amount = _amount()
    currency = _currency()
    received_on = forms.DateField(label=_("Date received"), widget=DateInput())
    method = forms.ChoiceField(label=_("Method"), choices=Contribution.Method.choices)
    pledge = forms.ModelChoiceField(
        label=_("Pays the pledge"), required=False, queryset=Pledge.objects.none()
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea)

    def __init__(self, *args, organisations, pledges, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "organisation", forms.ModelChoiceField).queryset = organisations
        field_of(self, "pledge", forms.ModelChoiceField).queryset = pledges
        self.fields["received_on"].initial = network_today()


class PledgeForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Co-op"), queryset=Organisation.objects.none())
    amount = _amount()
    currency = _currency()
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Pledge.Frequency.choices)
    next_due_on = forms.DateField(label=_("First payment due"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "organisation", forms.ModelChoiceField).queryset = organisations


class BudgetForm(forms.Form):
    circle = forms.ModelChoiceField(label=_("Circle"), queryset=Circle.objects.all())
    period_start = forms.DateField(label=_("Period starts"), widget=DateInput())
    period_end = forms.DateField(label=_("Period ends"), widget=DateInput())
    currency = _currency()
    amount = _amount(minimum=Decimal("0"))
    decision = forms.ModelChoiceField(
        label=_("Adopted by decision"),
        queryset=Decision.objects.filter(outcome=Decision.Outcome.ADOPTED).select_related(
            "assembly"
        ),
    )


class ClaimForm(forms.Form):
    circle = forms.ModelChoiceField(label=_("Circle"), queryset=Circle.objects.none())
    period_start = forms.DateField(label=_("Work from"), widget=DateInput())
    period_end = forms.DateField(label=_("Work until"), widget=DateInput())
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0.25"),
        max_value=Decimal("744"),
    )
    currency = forms.ChoiceField(label=_("Paid in"), choices=())
    description = forms.CharField(label=_("What you did"), max_length=4000, widget=forms.Textarea)
    show_name_publicly = forms.BooleanField(
        label=_("Show my name on the public transparency page"),
        required=False,
        help_text=_("Otherwise the public page shows the circle and the amount only."),
    )

    def __init__(self, *args, circles, currencies, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "circle", forms.ModelChoiceField).queryset = circles
        field_of(self, "currency", forms.ChoiceField).choices = [(c, c) for c in currencies]


class FundRulesForm(forms.Form):
    approvals_needed = forms.IntegerField(
        label=_("Approvals a claim needs"), min_value=1, max_value=9
    )
    finance_circle = forms.ModelChoiceField(
        label=_("Finance circle"),
        queryset=Circle.objects.order_by("name"),
        required=False,
        help_text=_('Its members approve claims. Empty: the circle with the slug "finance".'),
    )


class HourlyRateForm(forms.Form):
    currency = _currency()
    rate = _amount(label=_("Hourly rate"))


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Why is this entry reversed?"), max_length=200)
