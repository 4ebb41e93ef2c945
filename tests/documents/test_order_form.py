"""The order form as PDF: what each reader finds on it, and what they never find."""

from __future__ import annotations

import pytest

from tests.documents.conftest import CUSTOM_TASK_PAY, INTERNAL_COMMENT, PRICES, PUBLIC_COMMENT, TEMPLATE_PAY
from tests.documents.readers import INCH, MM, page_size_pt, pdf_pages, pdf_text


def print_pdf(api, user, number: str, **params) -> bytes:
    response = api(user).get(f"/orders/{number}/print.pdf", params or None)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_the_lab_admins_form_carries_everything_about_the_order(api, cast, printable):
    text = pdf_text(print_pdf(api, cast.admin_a, printable.number))
    assert f"#{printable.number}" in text
    assert printable.patient in text
    for service in printable.services:
        assert service in text
    for task in printable.tasks:
        assert task in text
    assert "PAYMENT REFERENCE" in text
    assert text.count(f"#{printable.number}") >= 2  # the big number and the payment reference
    assert cast.lab_a.name in text and "Hauptstrasse 1, Berlin" in text
    assert cast.customer_a1.name in text
    assert "Status: Production" in text
    assert PUBLIC_COMMENT in text and INTERNAL_COMMENT in text
    assert "Tomasz Werkbank" in text  # the assignee of the custom task
    assert str(CUSTOM_TASK_PAY) in text and str(PRICES["Zirconia crown"]) in text


def test_it_numbers_its_pages_x_of_y(api, cast, printable):
    pdf = print_pdf(api, cast.admin_a, printable.number)
    pages = len(pdf_pages(pdf))
    text = pdf_text(pdf)
    for page in range(1, pages + 1):
        assert f"Page {page} of {pages}" in text


def test_a_customers_print_holds_no_task_pay_and_no_internal_comment(api, cast, printable):
    text = pdf_text(print_pdf(api, cast.dentist_a1, printable.number))
    for task in printable.tasks:  # the work plan itself is theirs to see
        assert task in text
    assert PUBLIC_COMMENT in text
    assert INTERNAL_COMMENT not in text
    assert str(CUSTOM_TASK_PAY) not in text
    assert str(TEMPLATE_PAY) not in text
    assert "PAY" not in text.split("Work plan", 1)[1].split("Comments", 1)[0]
    assert "Tomasz Werkbank" not in text  # assignees are the lab's business


def test_a_technicians_print_shows_no_prices(api, cast, printable):
    text = pdf_text(print_pdf(api, cast.tech_a, printable.number))
    for service in printable.services:
        assert service in text
    for price in PRICES.values():
        assert str(price) not in text
    assert "UNIT PRICE" not in text
    assert str(CUSTOM_TASK_PAY) in text  # their own task's pay, as the API shows them
    assert str(TEMPLATE_PAY) not in text  # nobody's tasks but theirs
    assert INTERNAL_COMMENT in text


def test_only_the_chosen_sections_are_printed(api, cast, printable):
    text = pdf_text(print_pdf(api, cast.admin_a, printable.number, sections="parties,payment"))
    assert f"#{printable.number}" in text and printable.patient in text and "PAYMENT REFERENCE" in text
    for service in printable.services:
        assert service not in text
    for task in printable.tasks:
        assert task not in text
    assert PUBLIC_COMMENT not in text

    text = pdf_text(print_pdf(api, cast.admin_a, printable.number, sections="lines,workplan,comments"))
    assert all(service in text for service in printable.services)
    assert all(task in text for task in printable.tasks)
    assert PUBLIC_COMMENT in text
    assert printable.patient not in text and "PAYMENT REFERENCE" not in text


def test_an_empty_section_list_prints_the_header_alone(api, cast, printable):
    text = pdf_text(print_pdf(api, cast.admin_a, printable.number, sections=""))
    assert f"#{printable.number}" in text and "Status: Production" in text
    assert printable.patient not in text and printable.tasks[0] not in text


@pytest.mark.parametrize(
    ("paper", "size_pt"), [("a4", (210 * MM, 297 * MM)), ("letter", (8.5 * INCH, 11 * INCH))]
)
def test_the_paper_is_a4_or_us_letter(api, cast, printable, paper, size_pt):
    width, height = page_size_pt(print_pdf(api, cast.admin_a, printable.number, paper=paper))
    assert width == pytest.approx(size_pt[0], abs=0.5) and height == pytest.approx(size_pt[1], abs=0.5)


def test_without_a_paper_parameter_it_uses_the_labs_setting(api, cast, printable):
    assert page_size_pt(print_pdf(api, cast.admin_a, printable.number))[0] == pytest.approx(210 * MM, abs=0.5)
    cast.lab_a.paper_size = "letter"
    cast.lab_a.save()
    assert page_size_pt(print_pdf(api, cast.admin_a, printable.number))[0] == pytest.approx(8.5 * INCH, abs=0.5)


def test_a_cancelled_order_prints_and_says_nothing_is_due(api, cast, order_in):
    order = order_in("cancelled")
    text = pdf_text(print_pdf(api, cast.dentist_a1, order.number))
    assert "Status: Cancelled" in text
    assert "No payment is due: the order is cancelled." in text
