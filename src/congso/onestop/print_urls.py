"""Printed forms, the dossier register and the period report (mounted at ``/onestop/print/``)."""

from django.urls import path

from . import print_views

urlpatterns = [
    path("dossiers/<str:code>/forms/<str:form>.pdf", print_views.form_pdf, name="form"),
    path("register/", print_views.register, name="register"),
    path("report/", print_views.report, name="report"),
]
