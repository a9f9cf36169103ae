from django.core.management.base import BaseCommand, CommandError

from congso.core import audit
from congso.core.models import AuditRecord


class Command(BaseCommand):
    help = "Kiểm tra chuỗi băm của nhật ký hệ thống: tìm bản ghi bị sửa hoặc bị xoá."

    def handle(self, *args, **options):
        breaks = audit.verify()
        total = AuditRecord.objects.count()
        if breaks:
            for item in breaks:
                self.stderr.write(f"Bản ghi #{item.record_id}: {item.reason}")
            raise CommandError(f"Nhật ký KHÔNG toàn vẹn: {len(breaks)} lỗi trên {total} bản ghi.")
        self.stdout.write(self.style.SUCCESS(f"Nhật ký toàn vẹn: {total} bản ghi."))
