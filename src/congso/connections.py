""" "Test the connection" for each configured outside system, from one administrator's page
(``/connections/``, system administrators). Each test makes one real, harmless call with the
deployment's own settings and credentials — a signed ``querydr`` about an order that does not
exist, the identity provider's discovery document and keys, the exchange axis's waiting status
messages (read, never acknowledged), the national portal's procedure catalogue — so a wrong
address, secret or certificate shows here, not at a citizen's first payment. The page lives at
the project level because it reaches every app's plugin; official mailboxes are tested on each
organ's mailbox page, SMS gateways only by sending (no carrier offers a free call); of the video
bridges, BigBlueButton answers a checksummed ``getMeetings``, while Jitsi's server checks a token
only when someone joins (its links are checked against ``sandbox.jitsi`` in the contract suite)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congso.accounts import eid
from congso.accounts.permissions import may
from congso.core import audit
from congso.documents.exchange.registry import get_transport
from congso.meetings.video.registry import registry as video_bridges
from congso.onestop.portalsync.registry import get_sync
from congso.org.services import units
from congso.payments.providers.registry import get_provider as payment_provider

ACTION = "org.manage_units"


class NotConfigured(Exception):
    """The system is not set up in this deployment (nothing to test)."""


@dataclass
class Check:
    key: str
    label: str
    run: Callable[[], str]


def _payments() -> str:
    provider = payment_provider()
    if not provider.configured:
        raise NotConfigured
    ref = "KTKN" + timezone.now().strftime("%Y%m%d%H%M%S")
    inquiry = provider.query(ref, timezone.now() - dt.timedelta(minutes=1), "Kiem tra ket noi")
    return _("%(name)s trả lời có chữ ký hợp lệ (giao dịch thử: %(outcome)s).") % {
        "name": provider.verbose_name,
        "outcome": inquiry.outcome,
    }


def _identity() -> str:
    return _("Nhà cung cấp định danh công bố %(n)s khoá ký.") % {"n": eid.published_keys()}


def _exchange() -> str:
    transport = get_transport()
    organ = units().exclude(agency_id="").order_by("pk").first()
    if transport is None or not transport.configured or organ is None:
        raise NotConfigured
    waiting = transport.received(organ.agency_id, "status")
    return _("Trục liên thông trả lời: %(n)s thông điệp trạng thái chờ %(organ)s.") % {
        "n": len(waiting),
        "organ": organ.name,
    }


def _portal() -> str:
    sync = get_sync()
    if sync is None:
        raise NotConfigured
    return _("Cổng Dịch vụ công quốc gia trả lời: danh mục có %(n)s thủ tục.") % {
        "n": len(sync.catalogue())
    }


def _video() -> str:
    if not settings.CONGSO_BBB_URL:
        raise NotConfigured
    bridge = video_bridges.get("bbb")()
    answer = bridge.call(bridge.call_url("getMeetings", {}))
    if b"<returncode>SUCCESS</returncode>" not in answer:
        raise RuntimeError(answer.decode(errors="replace")[:200])
    return _("BigBlueButton trả lời đúng khoá chung: %(n)s phòng họp đang mở.") % {
        "n": answer.count(b"<meeting>")
    }


CHECKS = [
    Check("payments", gettext_lazy("Cổng thanh toán"), _payments),
    Check("identity", gettext_lazy("Định danh điện tử (VNeID, SSO của Cổng DVCQG)"), _identity),
    Check("exchange", gettext_lazy("Trục liên thông văn bản"), _exchange),
    Check("portal", gettext_lazy("Đồng bộ Cổng Dịch vụ công quốc gia"), _portal),
    Check("video", gettext_lazy("Máy chủ họp trực tuyến BigBlueButton"), _video),
]


def run(check: Check) -> tuple[str, str]:
    """``("ok" | "failed" | "absent", message)``; every failure is an answer, never a 500."""
    try:
        return "ok", check.run()
    except NotConfigured:
        return "absent", _("Chưa cấu hình trong bản triển khai này.")
    except Exception as exc:  # noqa: BLE001 - whatever the far end did, the page reports it
        return "failed", _("Không kết nối được: %(e)s") % {"e": f"{type(exc).__name__}: {exc}"}


@login_required
def connections(request):
    """The list of systems; posting ``check=<key>`` tests that one and audits the outcome."""
    if not may(request.user, ACTION):
        raise PermissionDenied
    results = {}
    wanted = request.POST.get("check") if request.method == "POST" else None
    for check in CHECKS:
        if wanted in (check.key, "all"):
            results[check.key] = run(check)
            audit.record(
                "core.connection_tested",
                object_type="connection",
                object_id=check.key,
                object_repr=str(check.label),
                data={"outcome": results[check.key][0]},
            )
    rows = [(check, results.get(check.key)) for check in CHECKS]
    return render(request, "connections.html", {"rows": rows})
