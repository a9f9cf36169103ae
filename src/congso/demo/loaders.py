"""The demo district, loaded app by app in dependency order. Every loader is idempotent."""

from django.db import transaction

from congso.accounts import demo as accounts_demo
from congso.core.context import AuditActor, acting_as
from congso.org import demo as org_demo


def load_all(stdout=None, *, full: bool = False) -> dict:
    """The demo district. ``full`` adds the demo PKI and a year of dossiers and briefings
    (seconds, not milliseconds): ``make run`` wants it, tests build what they need."""
    with acting_as(AuditActor(username="demo-loader")), transaction.atomic():
        units = org_demo.load()
        people = accounts_demo.load(units)
        loaded = {"units": units, "people": people}
        for name, loader in extra_loaders() + (full_loaders() if full else []):
            loader(loaded)
            if stdout:
                stdout.write(f"  · {name}")
    return loaded


def extra_loaders():
    """Loaders of the apps that build on units and people, in order."""
    from congso.catalog import demo as catalog_demo
    from congso.worktime import demo as worktime_demo

    return [("lịch làm việc", worktime_demo.load), ("danh mục thủ tục", catalog_demo.load)]


def full_loaders():
    """Certificates for every unit and official, and a year of activity so that queues,
    registers and reports look alive."""
    from congso.dashboard import demo as dashboard_demo
    from congso.documents import demo as documents_demo
    from congso.feedback import demo as feedback_demo
    from congso.ict import demo as ict_demo
    from congso.meetings import demo as meetings_demo
    from congso.onestop import demo as onestop_demo
    from congso.payments import demo as payments_demo
    from congso.signing import demo as signing_demo
    from congso.skills import demo as skills_demo

    return [
        ("chữ ký số", signing_demo.load),
        ("hồ sơ một cửa", onestop_demo.load),
        ("thanh toán trực tuyến", payments_demo.load),
        ("đánh giá, phản ánh", feedback_demo.load),
        ("văn bản điện tử", documents_demo.load),
        ("giao ban trực tuyến", meetings_demo.load),
        ("kỹ năng số", skills_demo.load),
        ("hạ tầng CNTT", ict_demo.load),
        ("số liệu bảng điều hành", dashboard_demo.load),
    ]
