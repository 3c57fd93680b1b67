from django.urls import path

from mediation import views

app_name = "mediation"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("queue/", views.queue, name="queue"),
    path("<int:pk>/", views.case, name="case"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/meeting/", views.meeting, name="meeting"),
    path("<int:pk>/meeting.ics", views.meeting_ics, name="meeting_ics"),
    path("<int:pk>/notes/", views.note, name="note"),
]
