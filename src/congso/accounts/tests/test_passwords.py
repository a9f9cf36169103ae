"""The password rules configured in settings, as an administrator setting a password meets them."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import override_settings
from django.utils import translation

from congso.accounts.models import User
from congso.accounts.services import generate_password
from congso.accounts.validators import CharacterClassValidator, MinimumLengthValidator

PERSON = User(username="chuyenvien.tuphap", full_name="Phạm Văn Pháp", email="phap@nghiloc.vn")


def _codes(password, user=PERSON):
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user)
    return {error.code for error in caught.value.error_list}


def test_a_good_password_passes():
    validate_password("Lua-chin-vang-2024", PERSON)


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ng4n!", "password_too_short"),
        ("1234567890123", "password_entirely_numeric"),
        ("qwertyuiop", "password_too_common"),
        ("motchuoidaikhongso", "password_classes"),
        ("Khong-co-chu-so", "password_classes"),
        ("Khongcokytu2024", "password_classes"),
        ("chuyenvien.tuphap1!", "password_too_similar"),
    ],
)
def test_weak_passwords_are_refused(password, code):
    assert code in _codes(password)


def test_character_class_message_is_vietnamese():
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        CharacterClassValidator().validate("chicochucai")
    assert caught.value.messages == [
        "Mật khẩu phải có chữ cái, chữ số và ít nhất một ký tự đặc biệt."
    ]


def test_minimum_length_validator_speaks_vietnamese():
    validator = MinimumLengthValidator(min_length=10)
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        validator.validate("Ng4n!")
    assert caught.value.messages == ["Mật khẩu quá ngắn: cần ít nhất 10 ký tự."]
    assert caught.value.error_list[0].code == "password_too_short"
    validator.validate("Du-dai-10-ky")
    assert "10" in str(validator.get_help_text())


def test_generated_passwords_satisfy_every_rule():
    passwords = {generate_password(PERSON) for _ in range(50)}
    assert len(passwords) == 50
    for password in passwords:
        validate_password(password, PERSON)
        assert len(password) == 14


@override_settings(
    AUTH_PASSWORD_VALIDATORS=[
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 20},
        }
    ]
)
def test_generator_follows_the_configured_minimum_length():
    password = generate_password(PERSON, length=14)
    assert len(password) == 20
    validate_password(password, PERSON)


@override_settings(
    AUTH_PASSWORD_VALIDATORS=[
        {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
        {"NAME": "congso.accounts.tests.test_passwords.OnlyDigits"},
    ]
)
def test_generator_reports_rules_it_cannot_meet():
    with pytest.raises(ImproperlyConfigured):
        generate_password(PERSON)


class OnlyDigits:
    """A rule no password can meet together with NumericPasswordValidator."""

    def validate(self, password, user=None):
        if not password.isdigit():
            raise ValidationError("digits only", code="digits")
