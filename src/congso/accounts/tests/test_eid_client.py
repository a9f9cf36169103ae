"""The eID client's pure pieces: PKCE, claim mapping, refusing unsigned or HMAC tokens."""

import datetime as dt

import jwt
import pytest

from congso.accounts import eid


def test_pkce_challenge_matches_rfc_7636_example():
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert eid.pkce_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_claims_map_to_an_identity(settings):
    settings.OIDC_ID_NUMBER_CLAIM = "citizen_id"
    identity = eid.identity_from_claims(
        {
            "sub": 42,
            "family_name": "Nguyễn",
            "middle_name": "Thị",
            "given_name": "Hoa",
            "birthdate": "1995-08-03",
            "gender": "Nữ",
            "phone_number": "0912 345 678",
            "email": "Hoa@Example.VN",
            "address": {"formatted": " Xóm 3, xã Nghi Long "},
            "citizen_id": " 040195004321 ",
        }
    )
    assert identity == eid.EidIdentity(
        subject="42",
        id_number="040195004321",
        full_name="Nguyễn Thị Hoa",
        date_of_birth=dt.date(1995, 8, 3),
        sex="female",
        phone="+84912345678",
        email="hoa@example.vn",
        address="Xóm 3, xã Nghi Long",
    )


def test_unusable_claims_are_dropped_not_fatal():
    identity = eid.identity_from_claims(
        {
            "sub": "s",
            "name": "  Lê   Văn  Ba ",
            "birthdate": "03/08/1995",
            "gender": "khác",
            "phone_number": "123",
            "email": "khong-phai-email",
            "address": "Khối 2",
        }
    )
    assert identity.full_name == "Lê Văn Ba"
    assert identity.date_of_birth is None and identity.sex == ""
    assert identity.phone is None and identity.email == ""
    assert identity.address == "Khối 2" and identity.id_number == ""


def test_unusable_subject_is_refused():
    for subject in ("", "s" * 101):
        with pytest.raises(eid.EidError) as caught:
            eid.identity_from_claims({"sub": subject})
        assert caught.value.reason == "provider_error"


def test_overlong_email_is_dropped():
    claims = {"sub": "s", "email": "a" * 250 + "@example.vn"}
    assert eid.identity_from_claims(claims).email == ""


def test_unverified_email_is_not_taken():
    claims = {"sub": "s", "email": "a@example.vn", "email_verified": False}
    assert eid.identity_from_claims(claims).email == ""


@pytest.mark.parametrize(
    "token",
    [
        jwt.encode({"sub": "x"}, "bi-mat-dung-chung-du-dai-32-byte", algorithm="HS256"),
        jwt.encode({"sub": "x"}, None, algorithm="none"),
        "khong.phai.jwt",
        "",
    ],
)
def test_only_rs256_tokens_are_considered(token):
    with pytest.raises(eid.EidError) as caught:
        # the JWKS address is unreachable: refusing must happen before any key is fetched
        eid.verify_id_token(
            token, jwks_uri="http://127.0.0.1:9/jwks", issuer="i", audience="a", nonce="n"
        )
    assert caught.value.reason == "bad_token"


def test_errors_carry_a_vietnamese_message():
    assert "VNeID" in eid.EidError("provider_unreachable").message
    assert eid.EidError("unknown-reason").message == str(eid.MESSAGES["provider_error"])
    assert eid.EidError("account", "x", "Thông báo riêng").message == "Thông báo riêng"
