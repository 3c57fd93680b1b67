from django.urls import path

from policies import views

app_name = "policies"

urlpatterns = [
    path("", views.policy_index, name="index"),
    path("waiting/", views.waiting, name="waiting"),
    path("new/", views.new_policy, name="new_policy"),
    path("amendments/<int:pk>/", views.amendment_detail, name="amendment"),
    path("amendments/<int:pk>/move/", views.amendment_move, name="amendment_move"),
    path("amendments/<int:pk>/revise/", views.amendment_revise, name="amendment_revise"),
    path("amendments/<int:pk>/comment/", views.amendment_comment, name="amendment_comment"),
    path("amendments/<int:pk>/respond/", views.amendment_respond, name="amendment_respond"),
    path(
        "amendments/<int:pk>/objections/<int:response_pk>/withdraw/",
        views.objection_withdraw,
        name="objection_withdraw",
    ),
    path("<slug:slug>/", views.policy_detail, name="policy"),
    path("<slug:slug>/versions/<int:number>/", views.policy_version, name="version"),
    path("<slug:slug>/compare/", views.policy_compare, name="compare"),
    path("<slug:slug>/amend/", views.amendment_new, name="amend"),
    path("<slug:slug>/translations/new/", views.translation_new, name="translation_new"),
    path(
        "<slug:slug>/translations/<slug:language>/",
        views.translation_edit,
        name="translation_edit",
    ),
]
