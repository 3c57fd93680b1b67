from django.urls import path

from casestudies import views

app_name = "casestudies"

urlpatterns = [
    path("", views.case_study_list, name="list"),
    path("from-project/<int:project_id>/", views.case_study_new, name="new"),
    path(
        "projects/<int:project_id>/software/",
        views.project_software_add,
        name="project_software_add",
    ),
    path(
        "projects/<int:project_id>/software/<slug:slug>/remove/",
        views.project_software_remove,
        name="project_software_remove",
    ),
    path("<slug:slug>/", views.case_study_detail, name="detail"),
    path("<slug:slug>/edit/", views.case_study_edit, name="edit"),
    path("<slug:slug>/permission/", views.case_study_consent, name="consent"),
    path("<slug:slug>/publish/", views.case_study_publish, name="publish"),
    path("<slug:slug>/withdraw/", views.case_study_withdraw, name="withdraw"),
]
