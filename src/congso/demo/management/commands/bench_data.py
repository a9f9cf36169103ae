"""``python -m congso bench_data --dossiers N``: fill the database with N generated dossiers."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from congso.catalog.models import Procedure
from congso.core.context import AuditActor, acting_as
from congso.demo import history


class Command(BaseCommand):
    help = (
        "Sinh N hồ sơ một cửa giả lập (lịch sử một năm) vào cơ sở dữ liệu hiện tại để đo hiệu năng. "
        "Nạp dữ liệu mẫu của huyện trước nếu chưa có đơn vị, thủ tục."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, required=True, help="số hồ sơ cần sinh")
        parser.add_argument("--seed", type=int, default=0, help="hạt giống ngẫu nhiên")
        parser.add_argument("--batch", type=int, default=10_000, help="số hồ sơ mỗi lần ghi")
        parser.add_argument(
            "--days", type=int, default=365, help="số ngày lịch sử, kết thúc hôm nay"
        )
        parser.add_argument(
            "--documents", action="store_true", help="sinh cả thành phần hồ sơ (giấy tờ)"
        )
        parser.add_argument(
            "--copies",
            type=int,
            default=0,
            help="chép K lần các hồ sơ đã kết thúc về các giai đoạn trước (PostgreSQL, chép ngay trong "
            "máy chủ CSDL bằng INSERT … SELECT): "
            "N hồ sơ thành khoảng N × (K + 1)",
        )
        parser.add_argument(
            "--years",
            type=int,
            default=0,
            help="rải K bản sao vào chừng ấy giai đoạn trước (mặc định K: mỗi giai đoạn một bản)",
        )

    def handle(self, *args, dossiers, seed, batch, days, documents, copies, years, **options):
        if dossiers < 0 or batch < 1 or days < 1 or copies < 0 or years < 0:
            raise CommandError(
                "--batch, --days phải là số nguyên dương; --dossiers, --copies, --years không "
                "được âm."
            )
        if not dossiers and not copies:
            raise CommandError("Không có gì để nạp: cần --dossiers hoặc --copies lớn hơn 0.")
        if copies and connection.vendor != "postgresql":
            raise CommandError("--copies cần PostgreSQL.")
        if not Procedure.objects.filter(is_active=True).exists():
            from congso.demo.loaders import load_all

            self.stdout.write("Chưa có danh mục thủ tục: nạp dữ liệu mẫu huyện Nghi Lộc…")
            load_all()
        if dossiers:
            self._tell(dossiers, seed, batch, days, documents)
        if copies:
            self._copy(copies, days, years)

    def _tell(self, dossiers, seed, batch, days, documents) -> None:
        end = timezone.now()
        self.stdout.write(
            f"Sinh {dossiers:,} hồ sơ trong {days} ngày ({connection.vendor}), mỗi lần {batch:,}…"
        )
        with acting_as(AuditActor(username="bench_data")):
            try:
                summary = history.generate(
                    dossiers,
                    start=end - dt.timedelta(days=days),
                    end=end,
                    seed=seed,
                    batch_size=batch,
                    documents=documents,
                    progress=self._progress(dossiers),
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Xong: {summary.dossiers:,} hồ sơ, {summary.rows:,} dòng trong "
                f"{summary.seconds:,.1f} giây ({summary.rows_per_second:,.0f} dòng/giây, "
                f"{summary.dossiers / max(summary.seconds, 1e-9):,.0f} hồ sơ/giây)."
            )
        )
        for state, count in sorted(summary.states.items(), key=lambda item: -item[1]):
            self.stdout.write(f"  {state}: {count:,}")

    def _copy(self, copies: int, days: int, years: int) -> None:
        from congso.onestop.bulk_history import copy_history

        def report(k, done):
            self.stdout.write(
                f"  bản sao {k}/{copies}: {done.dossiers:,} hồ sơ, {done.rows:,} dòng"
            )
            self.stdout.flush()

        try:
            done = copy_history(copies, days, progress=report, years=years or None)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã chép {done.dossiers:,} hồ sơ đã kết thúc, {done.rows:,} dòng trong "
                f"{done.seconds:,.1f} giây ({done.dossiers / max(done.seconds, 1e-9):,.0f} hồ sơ/giây "
                f"kể cả dựng lại chỉ mục; chép {done.copy_seconds:,.1f} giây trên {done.workers} "
                f"kết nối, "
                f"{done.dossiers / max(done.copy_seconds, 1e-9):,.0f} hồ sơ/giây; "
                f"chỉ mục {done.index_seconds:,.1f} giây)."
            )
        )
        if done.copy_cpu_seconds:
            self.stdout.write(
                f"  Bản chép dùng {done.copy_cpu_seconds:,.1f} giây CPU (tiến trình này và máy chủ CSDL): "
                f"{done.dossiers / done.copy_cpu_seconds:,.0f} hồ sơ mỗi giây CPU."
            )

    def _progress(self, total: int):
        started = timezone.now()

        def report(summary: history.Summary) -> None:
            seconds = max((timezone.now() - started).total_seconds(), 1e-9)
            self.stdout.write(
                f"  {summary.dossiers:,}/{total:,} hồ sơ, {summary.rows:,} dòng, "
                f"{summary.rows / seconds:,.0f} dòng/giây"
            )
            self.stdout.flush()

        return report
