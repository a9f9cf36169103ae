"""``python -m congso catalog_export <file>``: the catalogue as JSON or Excel (by extension)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from congso.catalog import services


class Command(BaseCommand):
    help = "Xuất danh mục thủ tục (phiên bản đang áp dụng) ra tệp .json hoặc .xlsx."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp .json hoặc .xlsx sẽ ghi")

    def handle(self, *args, file, **options):
        path = Path(file)
        kind = path.suffix.lower().lstrip(".")
        if kind not in ("json", "xlsx"):
            raise CommandError("Tên tệp phải kết thúc bằng .json hoặc .xlsx.")
        data = services.export_catalog(kind)
        path.write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {path} ({len(data)} byte)."))
