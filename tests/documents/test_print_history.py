"""The History section of the order form: the order page's history, as the reader may see it."""

from __future__ import annotations

from decimal import Decimal

from crownline.orders import payments
from tests.documents.readers import pdf_text


def history_of_print(api, user, number: str) -> str:
    response = api(user).get(f"/orders/{number}/print.pdf", {"sections": "history"})
    assert response.status_code == 200, response.content[:500]
    return pdf_text(response.content)


def test_the_lab_admin_prints_the_whole_history(api, cast, printable):
    payments.record_payment(cast.admin_a, printable.number, amount=Decimal("12.00"), method="transfer")

    text = history_of_print(api, cast.admin_a, printable.number)

    for line in ("Created", "Published", "Work plan created", "Task added", "Comment added", "In production"):
        assert line in text
    assert "12.00 by transfer" in text


def test_a_technician_prints_the_history_without_payment_amounts(api, cast, printable):
    payments.record_payment(cast.admin_a, printable.number, amount=Decimal("12.00"), method="transfer")

    text = history_of_print(api, cast.tech_a, printable.number)

    assert "Payment recorded" in text and "Task added" in text
    assert "12.00" not in text and "transfer" not in text


def test_a_dentist_prints_the_history_without_the_work_plan(api, cast, printable):
    text = history_of_print(api, cast.dentist_a1, printable.number)

    assert "Published" in text and "In production" in text
    assert "Task added" not in text and "Work plan created" not in text
    assert text.count("Comment added") == 1  # their own; the lab's internal note stays hidden
