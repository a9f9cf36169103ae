from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("rate/<str:code>/", views.rate, name="rate"),
    path("desk/", views.desk, name="desk"),
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/mine/", views.my_complaints, name="my_complaints"),
    path("complaints/<str:code>/", views.complaint, name="complaint"),
    path("complaints/<str:code>/<slug:action>/", views.complaint_act, name="complaint_act"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("queue/", views.queue, name="queue"),
    path("report/", views.report, name="report"),
    path("transparency/", views.transparency, name="transparency"),
]
