from django.urls import path

from . import views

app_name = "skills"
urlpatterns = [
    path("", views.index, name="index"),
    path("bai-hoc/<str:topic>/", views.lesson_page, name="lesson"),
    path("bai-hoc/<str:topic>/kiem-tra/", views.quiz, name="quiz"),
    path("quan-ly/", views.coverage, name="coverage"),
    path("quan-ly/dan-so/", views.population, name="population"),
    path("quan-ly/to-cong-nghe-so/", views.teams, name="teams"),
    path("quan-ly/to-cong-nghe-so/<int:pk>/", views.team, name="team"),
    path("quan-ly/thanh-vien/<int:pk>/xoa/", views.member_remove, name="member_remove"),
    path("quan-ly/chuong-trinh/", views.programmes, name="programmes"),
    path("quan-ly/chuong-trinh/<int:pk>/", views.programme, name="programme"),
    path("quan-ly/buoi-tap-huan/moi/", views.session_new, name="session_new"),
    path("quan-ly/buoi-tap-huan/<int:pk>/", views.session, name="session"),
]
