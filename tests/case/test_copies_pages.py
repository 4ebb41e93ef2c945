"""The order page's Copy, Remake and Change customer (issue 13): buttons for those who may, the
dialogs' forms, where a success goes, and refusals that change nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from crownline.orders.models import Order

pytestmark = pytest.mark.django_db


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _buttons(page: str) -> set[str]:
    return {name for name in ("dlg-copy", "dlg-remake", "dlg-change-customer") if f'data-dialog="{name}"' in page}


def test_each_role_sees_the_buttons_it_may_use(cast, order_in):
    delivered = order_in("delivered")
    page = lambda user, order: _as(user).get(f"/orders/{order.number}/").content.decode()  # noqa: E731
    assert _buttons(page(cast.admin_a, delivered)) == {"dlg-copy", "dlg-remake", "dlg-change-customer"}
    assert _buttons(page(cast.dentist_a1, delivered)) == {"dlg-copy", "dlg-remake"}
    assert _buttons(page(cast.tech_a, delivered)) == set()
    draft = order_in("draft")
    assert _buttons(page(cast.dentist_a1, draft)) == {"dlg-copy"}


def test_the_copy_dialog_lists_only_the_files_the_dentist_may_take(cast, order_in):
    order = order_in("delivered")
    shared = order.files.create(
        name="scan.stl",
        kind="scan",
        type="stl",
        content_type="model/stl",
        size=1,
        sha256="0" * 64,
        storage_name="a",
        shared=True,
    )
    internal = order.files.create(
        name="lab-notes.pdf",
        kind="pdf",
        type="pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        storage_name="b",
        shared=False,
    )
    dentist = _as(cast.dentist_a1).get(f"/orders/{order.number}/").content.decode()
    admin = _as(cast.admin_a).get(f"/orders/{order.number}/").content.decode()
    assert shared.name in dentist and internal.name not in dentist
    assert shared.name in admin and internal.name in admin


def test_copy_from_the_page_opens_the_new_drafts_edit_page(cast, order_in):
    order = order_in("delivered")
    line = order.lines.first()
    response = _as(cast.dentist_a1).post(
        f"/orders/{order.number}/copy/", {"lines": [line.pk], "patient_name": "Noah New"}
    )
    assert response.status_code == 302
    copy = Order.objects.get(copied_from=order)
    assert response["Location"] == f"/orders/{copy.number}/edit/"
    assert copy.patient.name == "Noah New"


def test_remake_from_the_page_opens_the_remake(cast, order_in):
    order = order_in("delivered")
    response = _as(cast.admin_a).post(
        f"/orders/{order.number}/remake/",
        {"lines": [order.lines.first().pk], "reason": "breakage", "payer": "lab", "note": "cracked"},
    )
    remake = Order.objects.get(remake_of=order)
    assert response["Location"] == f"/orders/{remake.number}/"
    assert (remake.remake_reason, remake.remake_payer, remake.total) == ("breakage", "lab", 0)
    page = _as(cast.admin_a).get(response["Location"]).content.decode()
    assert "Remake of" in page and order.display_number in page


def test_a_dentist_offered_lab_payer_by_a_forged_form_is_refused(cast, order_in):
    order = order_in("delivered")
    response = _as(cast.dentist_a1).post(
        f"/orders/{order.number}/remake/", {"lines": [order.lines.first().pk], "reason": "fit", "payer": "lab"}
    )
    assert response.status_code == 422
    assert 'id="dlg-remake"' in response.content.decode() and "data-autoopen" in response.content.decode()
    assert not Order.objects.filter(remake_of=order).exists()


def test_change_customer_from_the_page(cast, order_in):
    order = order_in("published")
    response = _as(cast.admin_a).post(
        f"/orders/{order.number}/change-customer/", {"version": order.version, "customer": cast.customer_a2.pk}
    )
    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).customer_id == cast.customer_a2.pk
    page = _as(cast.admin_a).get(f"/orders/{order.number}/").content.decode()
    assert "Customer changed" in page


def test_a_stale_change_customer_form_changes_nothing(cast, order_in):
    order = order_in("published")
    response = _as(cast.admin_a).post(
        f"/orders/{order.number}/change-customer/", {"version": order.version + 5, "customer": cast.customer_a2.pk}
    )
    assert response.status_code == 412
    assert "Someone else changed this order" in response.content.decode()
    assert Order.objects.get(pk=order.pk).customer_id == cast.customer_a1.pk


def test_a_copy_refused_by_the_service_says_why(cast, order_in):
    order = order_in("delivered")
    order.lines.first().service.__class__.objects.filter(pk=cast.service_a.pk).update(is_active=False)
    response = _as(cast.admin_a).post(f"/orders/{order.number}/copy/", {"lines": [order.lines.first().pk]})
    assert response.status_code == 422
    assert "no longer offers" in response.content.decode()
    assert not Order.objects.filter(copied_from=order).exists()
