from django.urls import path

from assemblies import views

app_name = "assemblies"

urlpatterns = [
    path("", views.assembly_list, name="list"),
    path("new/", views.assembly_new, name="new"),
    path("decisions/", views.decision_log, name="decisions"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("fair-slots/", views.fair_slots, name="fair_slots"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("public.ics", views.public_feed, name="public_feed"),
    path("calendar/<str:secret>.ics", views.feed, name="feed"),
    path("actions/<int:action_pk>/status/", views.action_status, name="action_status"),
    path("<int:pk>/", views.assembly_detail, name="detail"),
    path("<int:pk>/edit/", views.assembly_edit, name="edit"),
    path("<int:pk>/cancel/", views.assembly_cancel, name="cancel"),
    path("<int:pk>/quorum/", views.assembly_quorum, name="quorum"),
    path("<int:pk>/rsvp/", views.assembly_rsvp, name="rsvp"),
    path("<int:pk>/assembly.ics", views.ics, name="ics"),
    path("<int:pk>/propose/", views.agenda_propose, name="propose"),
    path("<int:pk>/updates/<slug:slug>/", views.circle_update, name="circle_update"),
    path("<int:pk>/agenda/build/", views.agenda_build, name="agenda_build"),
    path("<int:pk>/agenda/publish/", views.agenda_publish, name="agenda_publish"),
    path("<int:pk>/agenda/<int:item_pk>/move/", views.agenda_item_move, name="agenda_move"),
    path("<int:pk>/agenda/<int:item_pk>/edit/", views.agenda_item_edit, name="agenda_edit"),
    path("<int:pk>/run/", views.run, name="run"),
    path("<int:pk>/run/status/", views.run_status, name="run_status"),
    path("<int:pk>/run/item/", views.run_item, name="run_item"),
    path("<int:pk>/run/items/<int:item_pk>/minutes/", views.run_minutes, name="run_minutes"),
    path("<int:pk>/run/decision/", views.run_decision, name="run_decision"),
    path("<int:pk>/run/action/", views.run_action, name="run_action"),
    path("<int:pk>/run/attendance/", views.run_attendance, name="run_attendance"),
    path("<int:pk>/run/attendance/<int:person_pk>/", views.run_mark, name="run_mark"),
    path("<int:pk>/corrections/new/", views.correction_new, name="correction_new"),
]
