"""``python -m congso signing_keys --import-files | --rotate`` — the server's private keys in the
database (``signing.keystore``): move the PKCS#12 files an earlier version left on this node's
disk into it (and delete them; a person's key is deleted, never moved: it is not the server's to
hold), or re-encrypt every key with the current key-encryption key."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from congso.core import audit
from congso.core.context import AuditActor, acting_as


class Command(BaseCommand):
    help = "Chuyển khoá ký trên đĩa vào cơ sở dữ liệu (mã hoá), hoặc mã hoá lại bằng khoá mới."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--import-files", action="store_true", help="chuyển tệp .p12 vào CSDL")
        action.add_argument("--rotate", action="store_true", help="mã hoá lại bằng khoá hiện tại")

    def handle(self, *args, **options):
        with acting_as(AuditActor(username="signing-keys")):
            if options["import_files"]:
                self._import_files()
            else:
                self._rotate()

    def _import_files(self):
        from congso.signing.keystore import discard_personal_key, import_key_file
        from congso.signing.models import KeyBackend, SigningKey

        left = 0
        for row in SigningKey.objects.filter(certificate__owner_user__isnull=False):
            audit.record("signing.personal_key_discarded", row.certificate)
            discard_personal_key(row, settings.VAR_DIR)
            self.stdout.write(f"Đã xoá khoá cá nhân của “{row.certificate}” khỏi máy chủ.")
        rows = SigningKey.objects.filter(backend=KeyBackend.PKCS12).select_related("certificate")
        for row in rows:
            if import_key_file(row, settings.VAR_DIR, settings.CONGSO_SIGNING_PASSPHRASE):
                audit.record("signing.key_moved_to_database", row, data={"backend": row.backend})
                self.stdout.write(f"Đã chuyển khoá của “{row.certificate}” vào cơ sở dữ liệu.")
            else:
                left += 1
                self.stderr.write(
                    f"Không có (hoặc không mở được) tệp khoá của “{row.certificate}”."
                )
        if left:
            raise CommandError(f"Còn {left} khoá chưa chuyển được trên máy này.")

    def _rotate(self):
        from congso.signing.keystore import KeystoreError, reseal
        from congso.signing.models import KeyBackend, SigningKey

        rotated = 0
        rows = SigningKey.objects.filter(backend=KeyBackend.DATABASE).select_related("certificate")
        for row in rows:
            try:
                changed = reseal(row)
            except KeystoreError as exc:
                raise CommandError(f"“{row.certificate}”: {exc}") from exc
            if changed:
                rotated += 1
                audit.record("signing.key_resealed", row, data={"backend": row.backend})
        self.stdout.write(f"Đã mã hoá lại {rotated} khoá bằng khoá mã hoá hiện tại.")
