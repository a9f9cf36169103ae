"""REST endpoints of the payments app, mounted under ``/api/v1/``."""

urlpatterns: list = []
