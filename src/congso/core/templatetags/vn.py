"""Template filters for Vietnamese formats: ``{{ fee|vnd }}``, ``{{ when|vndate }}``."""

from django import template

from congso.core import formatting

register = template.Library()

register.filter("vnd", formatting.money)
register.filter("vndate", formatting.date)
register.filter("vncount", formatting.count)
register.filter("vndatetime", formatting.datetime)
