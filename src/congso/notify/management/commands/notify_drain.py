from django.core.management.base import BaseCommand

from congso.notify import services


class Command(BaseCommand):
    help = (
        "Gửi ngay các thông báo đến hạn trong hàng đợi (một lượt, hoặc đến khi hết với --all) "
        "và in số liệu."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=None, help="Số thông báo mỗi lượt.")
        parser.add_argument(
            "--all",
            dest="drain_all",
            action="store_true",
            help="Lặp đến khi không còn thông báo đến hạn.",
        )
        parser.add_argument(
            "--requeue-dead",
            action="store_true",
            help="Trước khi gửi, đưa các thông báo đã thất bại hẳn trở lại hàng đợi.",
        )

    def handle(self, *args, batch, drain_all, requeue_dead, **options):
        if requeue_dead:
            count = services.requeue_dead()
            self.stdout.write(f"Đưa lại vào hàng đợi: {count} thông báo thất bại.")
        result = services.drain_until_idle(batch) if drain_all else services.drain(batch)
        self.stdout.write(
            f"Đã nhận xử lý: {result.claimed}; đã gửi: {result.sent}; "
            f"hẹn gửi lại: {result.retried}; thất bại hẳn: {result.dead}; "
            f"bỏ qua (mất quyền giữ): {result.lost_lease}; "
            f"còn trong hàng đợi: {services.pending_count()}."
        )
