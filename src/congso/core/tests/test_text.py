import pytest
from hypothesis import given
from hypothesis import strategies as st

from congso.core.text import fold, tokens


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("ĐĂNG KÝ KẾT HÔN", "dang ky ket hon"),
        ("Chứng thực bản sao từ bản chính", "chung thuc ban sao tu ban chinh"),
        ("  Nghi   Lộc\t(Nghệ An) ", "nghi loc nghe an"),
        ("Thủ tục 1.001193", "thu tuc 1.001193"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded


def test_tokens():
    assert tokens("Đăng ký  khai sinh") == ["dang", "ky", "khai", "sinh"]


@given(st.text())
def test_fold_is_idempotent_and_ascii_for_vietnamese(text):
    once = fold(text)
    assert fold(once) == once
    assert "đ" not in once and "Đ" not in once
