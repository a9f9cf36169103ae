"""The demo district, loaded app by app in dependency order. Every loader is idempotent."""

from django.db import transaction

from congso.accounts import demo as accounts_demo
from congso.core.context import Actor, acting_as
from congso.org import demo as org_demo


def load_all(stdout=None) -> dict:
    with acting_as(Actor(username="demo-loader")), transaction.atomic():
        units = org_demo.load()
        people = accounts_demo.load(units)
        loaded = {"units": units, "people": people}
        for name, loader in extra_loaders():
            loader(loaded)
            if stdout:
                stdout.write(f"  · {name}")
    return loaded


def extra_loaders():
    """Loaders of the apps that build on units and people, in order."""
    from congso.catalog import demo as catalog_demo
    from congso.worktime import demo as worktime_demo

    return [("lịch làm việc", worktime_demo.load), ("danh mục thủ tục", catalog_demo.load)]
