"""``python -m congso partner_client create|rotate|revoke|list``: a system administrator manages
partner systems' client credentials. The secret is printed once and never again."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from congso.accounts.models import User
from congso.api import partners
from congso.api.models import PartnerClient, Scope
from congso.core.context import acting_as, actor_for
from congso.org.models import Unit


class Command(BaseCommand):
    help = "Quản lý hệ thống đối tác: tạo, đổi khoá bí mật, thu hồi, liệt kê."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Tạo hệ thống đối tác mới")
        create.add_argument("--name", required=True, help="Tên hệ thống đối tác")
        create.add_argument("--unit", required=True, help="Mã số hoặc mã định danh của đơn vị")
        create.add_argument(
            "--scope", action="append", required=True, choices=Scope.values, dest="scopes"
        )
        for name, text in (("rotate", "Đổi khoá bí mật"), ("revoke", "Thu hồi")):
            sub = actions.add_parser(name, help=text)
            sub.add_argument("client_id")
        actions.add_parser("list", help="Liệt kê hệ thống đối tác")
        for sub in actions.choices.values():
            sub.add_argument("--by", help="Tên đăng nhập của quản trị hệ thống thực hiện")

    def handle(self, *args, action, by=None, **options):
        if action == "list":
            return self._list()
        admin = User.objects.filter(username=by or "", is_active=True).first()
        if admin is None:
            raise CommandError(_("Cần --by là tên đăng nhập của một quản trị hệ thống."))
        try:
            with acting_as(actor_for(admin)):
                getattr(self, f"_{action}")(admin, **options)
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

    def _client(self, client_id: str) -> PartnerClient:
        client = PartnerClient.objects.filter(client_id=client_id).first()
        if client is None:
            raise CommandError(_("Không có hệ thống đối tác %(id)s.") % {"id": client_id})
        return client

    def _show_secret(self, client_id: str, secret: str) -> None:
        self.stdout.write(f"client_id={client_id}")
        self.stdout.write(f"client_secret={secret}")
        self.stdout.write(_("Khoá bí mật chỉ hiển thị một lần; hãy chuyển ngay cho đối tác."))

    def _create(self, admin, *, name, unit, scopes, **options):
        key = Q(agency_id=unit) | (Q(pk=int(unit)) if unit.isdigit() and len(unit) < 18 else Q())
        found = Unit.objects.filter(key).first()
        if found is None:
            raise CommandError(_("Không tìm thấy đơn vị %(unit)s.") % {"unit": unit})
        client, secret = partners.create_client(admin, name=name, unit=found, scopes=scopes)
        self._show_secret(client.client_id, secret)

    def _rotate(self, admin, *, client_id, **options):
        self._show_secret(client_id, partners.rotate_secret(admin, self._client(client_id)))

    def _revoke(self, admin, *, client_id, **options):
        partners.revoke_client(admin, self._client(client_id))
        self.stdout.write(_("Đã thu hồi %(id)s.") % {"id": client_id})

    def _list(self):
        for client in PartnerClient.objects.select_related("unit").order_by("name"):
            state = _("đang hoạt động") if client.is_active else _("đã thu hồi")
            self.stdout.write(
                f"{client.client_id}\t{client.name}\t{client.unit}\t"
                f"{' '.join(client.scopes)}\t{state}"
            )
