from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "congso.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"

    def ready(self):
        from . import checks, workspace  # noqa: F401 - checks registers the system checks

        workspace.register(
            _("Một cửa"),
            "accounts.prove_identity",
            _("Xác minh số định danh của công dân"),
            "accounts:prove_id",
        )
        admin = _("Quản trị")
        workspace.register(
            admin, "accounts.manage_people", _("Quản lý cán bộ và vai trò"), "accounts:people"
        )
        workspace.register(admin, "org.manage_units", _("Quản lý đơn vị hành chính"), "org:tree")
        workspace.register(admin, "catalog.manage", _("Quản lý danh mục thủ tục"), "catalog:manage")
        workspace.register(
            admin, "worktime.manage", _("Lịch làm việc, ngày nghỉ"), "worktime:manage"
        )
        workspace.register(admin, "core.read_audit", _("Nhật ký hệ thống"), "core:audit_log")
        workspace.register(
            admin, "org.manage_units", _("Kết nối với hệ thống bên ngoài"), "connections"
        )
