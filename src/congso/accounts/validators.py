import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """A password mixes letters, digits and at least one other character."""

    def validate(self, password, user=None):
        if not (
            re.search(r"[A-Za-z]", password)
            and re.search(r"\d", password)
            and re.search(r"[^A-Za-z\d]", password)
        ):
            raise ValidationError(
                _("Mật khẩu phải có chữ cái, chữ số và ít nhất một ký tự đặc biệt."),
                code="password_classes",
            )

    def get_help_text(self):
        return _("Mật khẩu phải có chữ cái, chữ số và ít nhất một ký tự đặc biệt.")
