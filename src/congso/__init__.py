"""Công Sở — digital-government platform for Vietnamese local authorities."""

from .celery import app as celery_app

__all__ = ["celery_app"]
