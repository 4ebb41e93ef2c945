"""The QR code and the bar code on the order form encode what they claim to."""

from __future__ import annotations

import segno
from django.test import override_settings

from crownline.documents import codes
from tests.documents.readers import barcode_modules, decode_code128, qr_matrix


def preview(api, user, number: str) -> str:
    response = api(user).get(f"/orders/{number}/print.html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def matrix_of(data: str) -> list[list[int]]:
    return [list(row) for row in segno.make(data, error="m", boost_error=False).matrix]


def test_the_qr_code_encodes_the_orders_page_url(api, cast, printable):
    url = f"http://127.0.0.1:8000/orders/{printable.number}"
    embedded, border = qr_matrix(preview(api, cast.admin_a, printable.number))
    assert border >= 4  # the quiet zone scanners need
    assert embedded == matrix_of(url)
    # The comparison can tell URLs apart: another order's URL draws another symbol.
    assert embedded != matrix_of(f"http://127.0.0.1:8000/orders/{'0' * 10}")


@override_settings(CROWNLINE_BASE_URL="https://lab.example.org")
def test_the_qr_code_follows_the_configured_base_url(api, cast, printable):
    embedded, _ = qr_matrix(preview(api, cast.admin_a, printable.number))
    assert embedded == matrix_of(f"https://lab.example.org/orders/{printable.number}")


def test_the_bar_code_encodes_the_order_number(api, cast, printable):
    assert decode_code128(barcode_modules(preview(api, cast.admin_a, printable.number))) == printable.number


def test_the_decoder_reads_digits_and_letters_alike():
    # Code set C packs digit pairs, B the letters: a number mixing both exercises the switches.
    for value in ("0123456789", "ABCDEF0123", "9A8B7C6D5E"):
        assert decode_code128(barcode_modules(str(codes.code128_svg(value, width_mm=60, height_mm=10)))) == value
