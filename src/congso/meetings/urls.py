from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/roll-call/", views.roll_call, name="roll_call"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/check-in/", views.check_in, name="check_in"),
    path("<int:pk>/join/", views.join, name="join"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/minutes.pdf", views.minutes_file, name="minutes_file"),
    path("<int:pk>/documents/", views.add_documents, name="add_documents"),
    path("<int:pk>/documents/<int:document_pk>/", views.document_file, name="document"),
    path("<int:pk>/conclusions/", views.add_conclusion, name="add_conclusion"),
    path("invitations/<int:pk>/respond/", views.respond, name="respond"),
    path("endpoints/", views.endpoints, name="endpoints"),
    path("endpoints/<int:unit_pk>/", views.endpoint_edit, name="endpoint"),
    path("endpoints/<int:unit_pk>/test/", views.endpoint_test, name="endpoint_test"),
    path("endpoints/<int:unit_pk>/qr.svg", views.endpoint_qr, name="endpoint_qr"),
    path("check-in/<str:token>/", views.endpoint_check_in, name="endpoint_check_in"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/reopen/", views.task_reopen, name="task_reopen"),
    path("report/", views.report, name="report"),
    path("feeds/", views.feeds, name="feeds"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
