"""``python -m congso restore FILE [--force] [--key-file FILE]``: put a backup back (the web,
worker and beat processes stopped), then check the audit chain."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from congso.ops import backup
from congso.ops.crypto import BackupKeyError

from .backup import passphrase


class Command(BaseCommand):
    help = "Khôi phục từ bản sao lưu, rồi kiểm tra chuỗi nhật ký kiểm toán."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--force", action="store_true", help="ghi đè dữ liệu đang có")
        parser.add_argument("--key-file", help="tệp chứa khoá (mặc định CONGSO_BACKUP_KEY)")

    def handle(self, *args, **options):
        try:
            outcome = backup.restore(
                Path(options["file"]), passphrase(options), force=options["force"]
            )
        except BackupKeyError as problem:
            raise CommandError("Sai khoá, hoặc bản sao lưu bị hỏng hay bị cắt cụt.") from problem
        except backup.BackupError as problem:
            raise CommandError(str(problem)) from problem
        problems = backup.check_restored(outcome.manifest)
        if problems:
            raise CommandError(
                "Đã khôi phục nhưng nhật ký kiểm toán không toàn vẹn:\n" + "\n".join(problems)
            )
        self.stdout.write(
            f"Đã khôi phục {outcome.manifest['files']} tệp và cơ sở dữ liệu trong "
            f"{outcome.seconds:.1f} giây; chuỗi nhật ký toàn vẹn."
        )
