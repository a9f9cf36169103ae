from django.core.management.base import BaseCommand

from congso.core.context import AuditActor, acting_as
from congso.org.models import Unit, UnitKind


class Command(BaseCommand):
    help = (
        "Tạo hạ tầng khoá công khai mẫu (CA gốc, CA trung gian, chứng thư số của đơn vị, cán bộ)."
    )

    def handle(self, *args, **options):
        from congso.demo import signing as demo

        district = Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("path").first()
        if district is None:
            self.stderr.write("Chưa có đơn vị cấp huyện; hãy nạp dữ liệu mẫu trước.")
            return
        with acting_as(AuditActor(username="pki-demo")):
            certificates = demo.load({"units": {"district": district}})
        self.stdout.write(f"Đã có {len(certificates)} chứng thư số mẫu dưới {district.name}.")
