"""``python -m congso export_dossier CODE [--out FILE]`` or ``export_dossier --all [--since
INSTANT] [--out FILE]``: dossiers in the national-portal sync shape, as JSON.

One code writes one record (an object); ``--all`` writes a list, limited with ``--since`` to the
dossiers with anything recorded from that instant (to the second) up to the current second,
which is what an incremental sync sends. ``INSTANT`` is ``dd/mm/yyyy`` (from midnight),
``dd/mm/yyyy HH:MM:SS`` or the portal's ``yyyyMMddHHmmss``; the command then prints the stamp
the next run starts from, so a sync job never sends a change twice nor misses one.
"""

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from congso.core.periods import local_midnight
from congso.onestop import sync


def _since(value: str) -> dt.datetime:
    value = value.strip()
    try:
        if value.isdigit():
            return sync.parse_stamp(value)
        if " " in value:
            naive = dt.datetime.strptime(value, "%d/%m/%Y %H:%M:%S")
            return timezone.make_aware(naive, timezone.get_current_timezone())
        return local_midnight(dt.datetime.strptime(value, "%d/%m/%Y").date())
    except ValueError as exc:
        raise CommandError(
            f"Thời điểm “{value}” không hợp lệ; dùng dạng dd/mm/yyyy, "
            "dd/mm/yyyy HH:MM:SS hoặc yyyyMMddHHmmss."
        ) from exc


class Command(BaseCommand):
    help = "Xuất hồ sơ theo cấu trúc đồng bộ Cổng Dịch vụ công quốc gia (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("code", nargs="?", help="Mã hồ sơ")
        parser.add_argument("--all", action="store_true", help="Xuất mọi hồ sơ")
        parser.add_argument("--since", help="Chỉ hồ sơ có thay đổi từ ngày (dd/mm/yyyy)")
        parser.add_argument("--out", help="Tệp JSON sẽ ghi (mặc định: màn hình)")

    def handle(self, *args, code=None, all=False, since=None, out=None, **options):
        if bool(code) == bool(all):
            raise CommandError("Cho biết một mã hồ sơ, hoặc --all (không dùng cả hai).")
        if since and not all:
            raise CommandError("--since chỉ dùng cùng --all.")
        following = None
        if all and since:
            data, following = sync.incremental(_since(since))
        elif all:
            data = sync.records(sync.for_sync().order_by("filed_at", "id"))
        else:
            dossier = sync.for_sync().filter(code=code.strip().upper()).first()
            if dossier is None:
                raise CommandError(f"Không tìm thấy hồ sơ {code}.")
            data = sync.records([dossier])[0]
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if out:
            Path(out).write_text(text + "\n", encoding="utf-8")
            count = len(data) if all else 1
            self.stdout.write(self.style.SUCCESS(f"Đã ghi {count} hồ sơ vào {out}."))
        else:
            self.stdout.write(text)
        if following:
            self.stderr.write(f"Lần đồng bộ sau: --since {following}")
