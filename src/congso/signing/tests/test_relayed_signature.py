"""The desk token's answer, relayed by the browser to both signing pages (documents, one-stop
results), is read in one place: base64 in ``{"signature": …}``, anything else refused in
Vietnamese."""

import base64
import json

import pytest
from django.core.exceptions import ValidationError

from congso.signing.services import relayed_signature


def test_the_signature_bytes_are_read_from_the_json_body():
    body = json.dumps({"signature": base64.b64encode(b"\x01\x02chu-ky").decode()}).encode()
    assert relayed_signature(body) == b"\x01\x02chu-ky"


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[]", b'{"sig": "AA=="}', b'{"signature": "kh\\u00f4ng-ph\\u1ea3i"}'],
)
def test_anything_else_is_refused_in_vietnamese(body):
    with pytest.raises(ValidationError) as refused:
        relayed_signature(body)
    assert refused.value.messages == ["Phần mềm ký số trả về dữ liệu không hợp lệ."]
