"""The box label: one page of the thermal printer's size, with what the packer needs."""

from __future__ import annotations

import pytest

from crownline.documents import codes
from tests.documents.readers import INCH, MM, barcode_modules, decode_code128, page_size_pt, pdf_pages, pdf_text


def label_pdf(api, user, number: str, **params) -> bytes:
    response = api(user).get(f"/orders/{number}/label.pdf", params or None)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_the_default_label_is_62_by_29_mm_and_one_page(api, cast, printable):
    pdf = label_pdf(api, cast.tech_a, printable.number)
    width, height = page_size_pt(pdf)
    assert width == pytest.approx(62 * MM, abs=0.5)
    assert height == pytest.approx(29 * MM, abs=0.5)
    assert len(pdf_pages(pdf)) == 1


def test_a_4_by_6_inch_label_on_request(api, cast, printable):
    pdf = label_pdf(api, cast.tech_a, printable.number, size="4x6")
    width, height = page_size_pt(pdf)
    assert width == pytest.approx(4 * INCH, abs=0.5)
    assert height == pytest.approx(6 * INCH, abs=0.5)
    assert len(pdf_pages(pdf)) == 1


@pytest.mark.parametrize("size", ["62x29", "4x6"])
def test_the_label_names_order_customer_patient_and_due_date(api, cast, printable, size):
    text = pdf_text(label_pdf(api, cast.admin_a, printable.number, size=size))
    assert f"#{printable.number}" in text
    assert cast.customer_a1.name in text
    assert printable.patient in text
    assert printable.order.due_date.isoformat() in text


@pytest.mark.parametrize(("width", "height"), [(58.0, 10.0), (90.0, 25.0)])
def test_the_label_bar_code_scans_as_the_order_number_at_both_sizes(printable, width, height):
    svg = str(codes.code128_svg(printable.number, width_mm=width, height_mm=height))
    assert f'width="{width:g}mm"' in svg
    assert decode_code128(barcode_modules(svg)) == printable.number
