from django.urls import path

from hub import views

app_name = "hub"

urlpatterns = [
    path("", views.hub_index, name="index"),
    path("new/", views.guide_new, name="guide_new"),
    path("guides/<slug:slug>/", views.guide_detail, name="guide"),
    path("guides/<slug:slug>/edit/", views.guide_edit, name="guide_edit"),
    path("guides/<slug:slug>/submit/", views.guide_submit, name="guide_submit"),
    path("guides/<slug:slug>/publish/", views.guide_publish, name="guide_publish"),
    path("guides/<slug:slug>/send-back/", views.guide_send_back, name="guide_send_back"),
    path("guides/<slug:slug>/withdraw/", views.guide_withdraw, name="guide_withdraw"),
    path("guides/<slug:slug>/done/", views.guide_done, name="guide_done"),
    path("guides/<slug:slug>/translations/new/", views.translation_new, name="translation_new"),
    path(
        "guides/<slug:slug>/translations/<slug:language>/",
        views.translation_edit,
        name="translation_edit",
    ),
    path("paths/new/", views.path_new, name="path_new"),
    path("paths/<slug:slug>/", views.path_detail, name="path"),
    path("paths/<slug:slug>/edit/", views.path_edit, name="path_edit"),
]
