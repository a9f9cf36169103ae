import re

from django.contrib.auth import password_validation
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


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with its message in Vietnamese (Django's own catalogue lacks it)."""

    def get_error_message(self):
        return _("Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.") % {
            "min_length": self.min_length
        }

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                self.get_error_message(),
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self):
        return _("Mật khẩu phải có ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}
