from django.core.management.base import BaseCommand, CommandError

from congso.core import audit
from congso.core.models import AuditRecord


class Command(BaseCommand):
    help = (
        "Kiểm tra chuỗi băm có khoá của nhật ký hệ thống: tìm bản ghi bị sửa hoặc bị xoá; "
        "neo đầu chuỗi vào một tệp ngoài cơ sở dữ liệu và đối chiếu với các lần neo trước."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor", metavar="FILE", help="ghi thêm đầu chuỗi hiện tại (mã, băm, thời điểm)"
        )
        parser.add_argument(
            "--check-anchor", metavar="FILE", help="đối chiếu chuỗi với các đầu chuỗi đã neo"
        )

    def handle(self, *args, **options):
        breaks = audit.verify()
        if options["check_anchor"]:
            breaks += audit.check_anchors(options["check_anchor"])
        total = AuditRecord.objects.count()
        if breaks:
            for item in breaks:
                self.stderr.write(f"Bản ghi #{item.record_id}: {item.reason}")
            raise CommandError(f"Nhật ký KHÔNG toàn vẹn: {len(breaks)} lỗi trên {total} bản ghi.")
        self.stdout.write(self.style.SUCCESS(f"Nhật ký toàn vẹn: {total} bản ghi."))
        if options["anchor"]:  # only an intact chain is anchored
            anchor = audit.write_anchor(options["anchor"])
            self.stdout.write(f"Đã neo: {anchor.line()}" if anchor else "Nhật ký trống.")
