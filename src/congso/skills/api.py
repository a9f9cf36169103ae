"""REST endpoints of the skills app, mounted under ``/api/v1/``."""

urlpatterns: list = []
