from django.urls import path

from fund import views

app_name = "fund"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("public/", views.transparency, name="transparency"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger.csv", views.ledger_csv, name="ledger_csv"),
    path("ledger/<int:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("contributions/", views.contributions, name="contributions"),
    path("contributions/new/", views.contribution_new, name="contribution_new"),
    path(
        "contributions/<int:pk>/confirm/", views.contribution_confirm, name="contribution_confirm"
    ),
    path(
        "contributions/<int:pk>/decline/", views.contribution_decline, name="contribution_decline"
    ),
    path("pledges/", views.pledges, name="pledges"),
    path("pledges/new/", views.pledge_new, name="pledge_new"),
    path("pledges/<int:pk>/end/", views.pledge_end, name="pledge_end"),
    path("budgets/new/", views.budget_new, name="budget_new"),
    path("claims/", views.my_claims, name="my_claims"),
    path("claims/new/", views.claim_new, name="claim_new"),
    path("claims/<int:pk>/", views.claim_detail, name="claim"),
    path("claims/<int:pk>/submit/", views.claim_submit, name="claim_submit"),
    path("claims/<int:pk>/withdraw/", views.claim_withdraw, name="claim_withdraw"),
    path("claims/<int:pk>/approve/", views.claim_approve, name="claim_approve"),
    path("claims/<int:pk>/reject/", views.claim_reject, name="claim_reject"),
    path("claims/<int:pk>/pay/", views.claim_pay, name="claim_pay"),
    path("approvals/", views.approval_queue, name="approval_queue"),
    path("rules/", views.fund_rules, name="rules"),
]
