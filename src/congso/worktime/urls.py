from django.urls import path

from . import views

app_name = "worktime"
urlpatterns = [
    path("", views.year, name="year"),
    path("manage/", views.manage, name="manage"),
    path("manage/<int:pk>/delete/", views.delete_exception, name="delete_exception"),
    path("manage/<int:year>/confirm/", views.confirm_year, name="confirm_year"),
]
