"""``python -m congso portal_sync [--reconcile] [--catalogue [--apply]]`` — run the national
portal sync now (queue what changed, send what is due), compare what the portal holds with
what we hold, or pull the national procedure catalogue (``--apply`` takes its names)."""

from django.core.management.base import BaseCommand, CommandError

from congso.onestop.portalsync import services
from congso.onestop.portalsync.base import SyncError
from congso.onestop.portalsync.registry import get_sync


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--reconcile", action="store_true", help="đối chiếu với Cổng")
        parser.add_argument("--catalogue", action="store_true", help="kéo danh mục TTHC")
        parser.add_argument("--apply", action="store_true", help="cập nhật tên thủ tục theo Cổng")

    def handle(self, *args, reconcile=False, catalogue=False, apply=False, **options):
        if get_sync() is None:
            raise CommandError("CONGSO_PORTAL_SYNC chưa được đặt: không có kết nối tới Cổng.")
        try:
            if catalogue:
                self._catalogue(apply)
            elif reconcile:
                self._reconcile()
            else:
                queued = services.collect()
                counts = services.drain()
                self.stdout.write(
                    f"Đưa vào hàng đợi: {queued}; đã gửi: {counts['sent']}, "
                    f"gửi lại sau: {counts['retry']}, hỏng: {counts['failed']}"
                )
        except SyncError as exc:
            raise CommandError(f"Không kết nối được Cổng: {exc}") from exc

    def _reconcile(self):
        report = services.reconcile()
        for row in report.rows:
            code, ours, our_status, theirs, their_status, problem = row
            self.stdout.write(
                f"{problem}\t{code}\thệ thống {ours or '-'}/{our_status or '-'}"
                f"\tCổng {theirs or '-'}/{their_status or '-'}"
            )
        self.stdout.write(f"Khớp: {report.matching}; lệch: {report.problems}")

    def _catalogue(self, apply: bool):
        changes = services.catalogue_changes()
        for entry in changes.new:
            self.stdout.write(f"mới\t{entry.code}\t{entry.name}")
        for procedure, name in changes.renamed:
            self.stdout.write(f"đổi tên\t{procedure.code}\t{procedure.name} → {name}")
        for procedure in changes.absent:
            self.stdout.write(f"không có trên Cổng\t{procedure.code}\t{procedure.name}")
        if apply:
            self.stdout.write(f"Đã cập nhật tên: {services.apply_renames(changes)}")
