"""The partner-events administration pages (namespace ``partners``, mounted at ``/partners/``)."""

from django.urls import path

from . import partner_views

app_name = "partners"
urlpatterns = [
    path("webhooks/", partner_views.subscriptions, name="webhooks"),
    path("webhooks/<int:pk>/", partner_views.deliveries, name="webhook_deliveries"),
    path(
        "webhooks/deliveries/<int:pk>/redeliver/",
        partner_views.redeliver,
        name="webhook_redeliver",
    ),
]
