from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from congso.demo.accounts import logins
from congso.demo.loaders import load_all


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu huyện Nghi Lộc (chạy lại nhiều lần không sinh trùng)."

    def add_arguments(self, parser):
        parser.add_argument("--print-logins", action="store_true")

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "Chỉ nạp dữ liệu mẫu khi CONGSO_DEMO bật (không dùng cho production)."
            )
        self.stdout.write("Nạp dữ liệu mẫu huyện Nghi Lộc…")
        load_all(self.stdout, full=True)
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu."))
        if options["print_logins"]:
            self.stdout.write(f"\nTài khoản mẫu (mật khẩu: {settings.DEMO_PASSWORD}):")
            for username, what in logins():
                self.stdout.write(f"  {username:<20} {what}")
