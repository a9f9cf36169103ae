"""REST endpoints of the ict app, mounted under ``/api/v1/``."""

urlpatterns: list = []
