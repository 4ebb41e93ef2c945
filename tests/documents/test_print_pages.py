"""The order page's Print dialog and Print label button, as a signed-in person uses them."""

from __future__ import annotations

from tests.documents.readers import pdf_text


def test_a_dentist_prints_the_sections_ticked_in_the_print_dialog(cast, client, order_in):
    order = order_in("production")
    client.force_login(cast.dentist_a1)
    page = client.get(f"/orders/{order.number}/")
    assert b'id="dlg-print"' in page.content

    response = client.get(f"/orders/{order.number}/print/", {"section": ["parties", "lines"], "paper": "letter"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert order.display_number in text and order.patient.name in text
    assert "Model" not in text  # the work plan was not ticked


def test_a_technician_prints_a_box_label_from_the_order_page(cast, client, order_in):
    order = order_in("produced")
    client.force_login(cast.tech_a)
    response = client.get(f"/orders/{order.number}/label/")
    assert response.status_code == 200
    assert order.display_number in pdf_text(response.content)


def test_a_bad_choice_gets_a_readable_page_naming_the_allowed_values(cast, client, order_in):
    order = order_in("published")
    client.force_login(cast.admin_a)
    response = client.get(f"/orders/{order.number}/print/", {"paper": "A3"})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")
    assert b"Cannot print this" in response.content and b"letter" in response.content


def test_another_dentist_cannot_print_the_order(cast, client, order_in):
    order = order_in("published")
    client.force_login(cast.dentist_a2)
    assert client.get(f"/orders/{order.number}/print/").status_code == 404
    assert client.get(f"/orders/{order.number}/label/").status_code == 404
