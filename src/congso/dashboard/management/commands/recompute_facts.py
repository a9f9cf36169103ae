"""``python -m congso recompute_facts --from dd/mm/yyyy --to dd/mm/yyyy``: recompute the
dashboard's daily one-stop facts of any period from the dossiers (a month per transaction, so a
year at a million dossiers never holds everything in memory at once)."""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from congso.dashboard import store

CHUNK_DAYS = 31


def _day(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError as exc:
        raise CommandError(f"Ngày “{value}” không hợp lệ; dùng dạng dd/mm/yyyy.") from exc


class Command(BaseCommand):
    help = "Tính lại số liệu tổng hợp theo ngày của bảng điều hành (một cửa) cho một khoảng ngày."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="Từ ngày (dd/mm/yyyy)")
        parser.add_argument("--to", dest="end", help="Đến ngày (dd/mm/yyyy; mặc định hôm nay)")

    def handle(self, *args, start=None, end=None, **options):
        first = _day(start)
        last = _day(end) if end else timezone.localdate()
        if last < first:
            raise CommandError("Ngày kết thúc phải sau ngày bắt đầu.")
        began, rows, day = time.monotonic(), 0, first
        while day <= last:
            chunk_end = min(last, day + dt.timedelta(days=CHUNK_DAYS - 1))
            rows += store.refresh(day, chunk_end)
            day = chunk_end + dt.timedelta(days=1)
        seconds = time.monotonic() - began
        self.stdout.write(
            f"Đã tính {rows} dòng số liệu từ {first:%d/%m/%Y} đến {last:%d/%m/%Y} "
            f"trong {seconds:.1f} giây."
        )
