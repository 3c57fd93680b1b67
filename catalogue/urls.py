from django.urls import path

from catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.software_list, name="list"),
    path("new/", views.software_new, name="new"),
    path("import/", views.software_import, name="import"),
    path("compare/", views.compare, name="compare"),
    path("<slug:slug>/", views.software_detail, name="software"),
    path("<slug:slug>/edit/", views.software_edit, name="edit"),
    path("<slug:slug>/publiccode.yml", views.software_publiccode, name="publiccode"),
    path("<slug:slug>/help/", views.ask_for_help, name="help"),
    path("<slug:slug>/contact/", views.contact_add, name="contact"),
    path("<slug:slug>/contact/remove/", views.contact_remove, name="contact_remove"),
    path("<slug:slug>/provider/", views.provider_edit, name="provider"),
    path("<slug:slug>/provider/remove/", views.provider_remove, name="provider_remove"),
    path("<slug:slug>/use/", views.use_edit, name="use"),
    path("<slug:slug>/use/remove/", views.use_remove, name="use_remove"),
]
