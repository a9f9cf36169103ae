"""The portal home page shows the most used procedures and the sectors."""

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_lists_popular_procedures_and_sectors(client, catalog_data):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert 'data-testid="popular-procedure">Đăng ký khai sinh</a>' in response.text
    assert "/procedures/?sector=HT" in response.text and "Hộ tịch" in response.text
    assert "4 thủ tục" in response.text  # Chứng thực


@override_settings(CONGSO_POPULAR_PROCEDURES=["2.000635", "0.000000"])
def test_popular_procedures_come_from_the_setting(client, catalog_data):
    response = client.get(reverse("portal:home"))
    assert response.text.count('data-testid="popular-procedure"') == 1
    assert "Cấp bản sao trích lục hộ tịch" in response.text


def test_empty_catalogue_still_renders(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200 and "Thủ tục thường dùng" not in response.text
