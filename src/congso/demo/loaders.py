"""The demo district, loaded app by app in dependency order. Every loader is idempotent."""

from django.db import transaction

from congso.core.context import AuditActor, acting_as
from congso.demo import accounts as accounts_demo
from congso.demo import org as org_demo


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
    from congso.demo import catalog as catalog_demo
    from congso.demo import worktime as worktime_demo

    return [("lịch làm việc", worktime_demo.load), ("danh mục thủ tục", catalog_demo.load)]


def full_loaders():
    """Certificates for every unit and official, and a year of activity so that queues,
    registers and reports look alive."""
    from congso.demo import dashboard as dashboard_demo
    from congso.demo import documents as documents_demo
    from congso.demo import feedback as feedback_demo
    from congso.demo import ict as ict_demo
    from congso.demo import meetings as meetings_demo
    from congso.demo import onestop as onestop_demo
    from congso.demo import payments as payments_demo
    from congso.demo import signing as signing_demo
    from congso.demo import skills as skills_demo

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
