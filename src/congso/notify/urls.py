from django.http import HttpResponse
from django.urls import path

app_name = "notify"
urlpatterns = [
    path("inbox/", lambda r: HttpResponse("placeholder"), name="inbox"),
]
