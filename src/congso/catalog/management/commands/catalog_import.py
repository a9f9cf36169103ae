"""``python -m congso catalog_import <file>``: import a JSON or Excel catalogue, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from congso.catalog import services
from congso.catalog.exchange import ImportFailed
from congso.core.context import AuditActor, acting_as


class Command(BaseCommand):
    help = "Nhập danh mục thủ tục từ tệp .json hoặc .xlsx (có lỗi thì không nhập gì)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp .json hoặc .xlsx")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        try:
            with acting_as(AuditActor(username="catalog_import")):
                report = services.import_catalog(path.read_bytes(), path.name)
        except ImportFailed as exc:
            for message in exc.messages:
                self.stderr.write(f"  - {message}")
            raise CommandError(f"Tệp có {len(exc.messages)} lỗi; chưa nhập dữ liệu nào.") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập: {report.sectors_created} lĩnh vực mới, "
                f"{report.procedures_created} thủ tục mới, "
                f"{report.procedures_updated} thủ tục cập nhật, "
                f"{report.versions_published} phiên bản công bố, {report.unchanged} không đổi."
            )
        )
