"""``python -m congso backup [--output FILE] [--key-file FILE]``: an encrypted backup."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from congso.ops import backup


def passphrase(options) -> str:
    if options.get("key_file"):
        return Path(options["key_file"]).read_text().strip()
    return settings.CONGSO_BACKUP_KEY


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và các tệp, mã hoá bằng khoá của người vận hành."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="tệp đích (mặc định var/backups/congso-NGÀY-GIỜ.cbk)")
        parser.add_argument("--key-file", help="tệp chứa khoá (mặc định CONGSO_BACKUP_KEY)")

    def handle(self, *args, **options):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        output = Path(
            options["output"] or Path(settings.VAR_DIR) / "backups" / f"congso-{stamp}.cbk"
        )
        try:
            outcome = backup.create(output, passphrase(options))
        except backup.BackupError as problem:
            raise CommandError(str(problem)) from problem
        head = outcome.manifest["audit_head"]
        self.stdout.write(
            f"Đã sao lưu vào {outcome.path} ({outcome.path.stat().st_size} byte, "
            f"{outcome.manifest['files']} tệp, {outcome.seconds:.1f} giây); đầu chuỗi nhật ký: "
            f"{head['id'] if head else '-'}"
        )
