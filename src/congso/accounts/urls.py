from django.urls import path

from . import desk_views, people_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("totp/", views.totp_view, name="totp"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("password/", views.password_change, name="password_change"),
    path("workspace/", views.workspace, name="workspace"),
    path("eid/start/", views.eid_start, name="eid_start"),
    path("eid/callback/", views.eid_callback, name="eid_callback"),
    path("eid/logged-out/", views.eid_logged_out, name="eid_logged_out"),
    path(
        "eid/backchannel-logout/",
        views.eid_backchannel_logout,
        name="eid_backchannel_logout",
    ),
    path("desk/prove-id/", desk_views.prove_id, name="prove_id"),
    path("people/", people_views.people, name="people"),
    path("people/new/", people_views.person_create, name="person_create"),
    path("people/<int:pk>/", people_views.person, name="person"),
    path("people/<int:pk>/positions/new/", people_views.position_add, name="position_add"),
    path(
        "people/<int:pk>/positions/<int:position_pk>/end/",
        people_views.position_end,
        name="position_end",
    ),
    path("people/<int:pk>/deactivate/", people_views.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", people_views.person_reactivate, name="person_reactivate"),
    path("people/<int:pk>/unlock/", people_views.person_unlock, name="person_unlock"),
    path("people/<int:pk>/reset-totp/", people_views.person_reset_totp, name="person_reset_totp"),
]
