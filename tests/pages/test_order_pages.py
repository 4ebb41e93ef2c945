"""The order list, the order page as each role sees it, comments, payment instructions, signing in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crownline.orders import comments
from crownline.tenancy.models import Membership
from tests.factories import PASSWORD, UserFactory, make_order

pytestmark = pytest.mark.django_db


def test_the_front_door_asks_to_sign_in(browser_as):
    response = browser_as().get("/orders/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/orders/"


def test_signing_in_and_out(cast, browser_as):
    client = browser_as()
    response = client.post("/accounts/login/", {"username": "tech-a", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/orders/"
    assert client.get("/orders/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/orders/").status_code == 302


def test_a_wrong_password_says_so(cast, browser_as):
    response = browser_as().post("/accounts/login/", {"username": "tech-a", "password": "nope"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()


def test_a_dentist_lists_only_their_own_orders(cast, order_in, browser_as):
    mine = order_in("published")
    theirs = make_order(cast.admin_a, cast.customer_a2, status="published", service=cast.service_a)
    html = browser_as(cast.dentist_a1).get("/orders/").content.decode()
    assert mine.number in html
    assert theirs.number not in html


def test_the_list_counts_each_status_and_filters_by_tab(cast, order_in, browser_as):
    published, _, shipped = order_in("published"), order_in("published"), order_in("shipped")
    client = browser_as(cast.admin_a)
    response = client.get("/orders/")
    tabs = [(label, count) for _, label, count in response.context["tabs"]]
    assert ("All", 3) in tabs
    assert ("Published", 2) in tabs
    assert ("Shipped", 1) in tabs
    html = client.get("/orders/?status=shipped").content.decode()
    assert shipped.number in html
    assert published.number not in html


def test_search_finds_by_number_patient_and_customer(cast, order_in, browser_as):
    first, second = order_in("draft"), order_in("draft")
    client = browser_as(cast.admin_a)
    html = client.get("/orders/", {"q": f"#{first.number[:6]}"}).content.decode()
    assert first.number in html
    assert second.number not in html
    html = client.get("/orders/", {"q": second.patient.name}).content.decode()
    assert second.number in html
    assert first.number not in html
    other = make_order(cast.admin_a, cast.customer_a2, service=cast.service_a)
    html = client.get("/orders/", {"q": cast.customer_a2.name}).content.decode()
    assert other.number in html
    assert first.number not in html


def test_sorting_by_due_date_and_overdue_orders_stand_out(cast, browser_as):
    customer = cast.customer_a1
    late = make_order(cast.admin_a, customer, status="published", service=cast.service_a)
    soon = make_order(cast.admin_a, customer, status="published", service=cast.service_a)
    # A due date in the past can only be reached by time passing: move it directly in the database.
    type(late).objects.filter(pk=late.pk).update(due_date=cast.lab_a.local_date() - dt.timedelta(days=2))
    response = browser_as(cast.admin_a).get("/orders/", {"ordering": "due_date"})
    rows = response.context["rows"]
    assert [(o.number, badges.overdue) for o, badges in rows] == [(late.number, True), (soon.number, False)]
    assert 'class="overdue"' in response.content.decode()


def test_the_list_has_pages(cast, browser_as):
    for _ in range(26):
        make_order(cast.admin_a, cast.customer_a1, service=cast.service_a, plan=False)
    client = browser_as(cast.admin_a)
    first = client.get("/orders/")
    assert len(first.context["rows"]) == 25
    assert "Page 1 of 2" in first.content.decode()
    assert len(client.get("/orders/", {"page": 2}).context["rows"]) == 1


def test_a_customer_never_sees_task_pay_or_internal_comments(cast, order_in, browser_as):
    order = order_in("production")
    comments.add_comment(cast.admin_a, order.number, body="Margin looks thin, redo", internal=True)
    comments.add_comment(cast.admin_a, order.number, body="Your crown is on its way", internal=False)
    html = browser_as(cast.dentist_a1).get(f"/orders/{order.number}/").content.decode()
    assert "Your crown is on its way" in html
    assert "Margin looks thin" not in html
    assert 'id="work-plan"' not in html
    assert "10.00 EUR" not in html  # the default task pay
    staff_html = browser_as(cast.admin_a).get(f"/orders/{order.number}/").content.decode()
    assert "Margin looks thin" in staff_html
    assert "10.00 EUR" in staff_html


def test_a_technician_sees_no_prices_or_amount_due(cast, order_in, browser_as):
    order = order_in("production")
    html = browser_as(cast.tech_a).get(f"/orders/{order.number}/").content.decode()
    assert "Amount due" not in html
    assert "100.00" not in html
    assert "Mark as paid" not in html


def test_the_order_page_shows_lines_with_teeth_and_shade(cast, order_in, browser_as):
    order = order_in("published", lines=2)
    html = browser_as(cast.dentist_a1).get(f"/orders/{order.number}/").content.decode()
    assert order.display_number in html
    assert '<td data-label="Teeth" class="teeth">11</td>' in html
    assert '<td data-label="Teeth" class="teeth">12</td>' in html
    assert '<td data-label="Shade">A2</td>' in html


def test_comments_are_added_and_a_customer_cannot_make_them_internal(cast, order_in, browser_as):
    order = order_in("published")
    client = browser_as(cast.dentist_a1)
    response = client.post(f"/orders/{order.number}/comments/", {"body": "Shade A2 please", "internal": "on"})
    assert response.status_code == 422
    assert "only the lab writes internal comments" in response.content.decode()
    assert not order.comments.exists()
    assert client.post(f"/orders/{order.number}/comments/", {"body": "Shade A2 please"}).status_code == 302
    assert order.comments.get().body == "Shade A2 please"


def test_an_empty_comment_is_a_form_error(cast, order_in, browser_as):
    order = order_in("published")
    response = browser_as(cast.admin_a).post(f"/orders/{order.number}/comments/", {"body": ""})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()


def test_payment_instructions_show_reference_and_amount_due(cast, order_in, browser_as):
    order = order_in("delivered")
    html = browser_as(cast.dentist_a1).get(f"/orders/{order.number}/payment-instructions/").content.decode()
    assert order.display_number in html
    assert "100.00 EUR" in html
    assert cast.lab_a.payment_instructions in html


def test_a_cancelled_order_has_no_payment_instructions(cast, order_in, browser_as):
    order = order_in("cancelled")
    response = browser_as(cast.dentist_a1).get(f"/orders/{order.number}/payment-instructions/")
    assert response.status_code == 409


def test_a_user_in_two_labs_switches_between_them(cast, browser_as):
    Membership.objects.create(user=cast.tech_a, lab=cast.lab_b, role="technician")
    in_b = make_order(cast.admin_b, cast.customer_b, service=cast.service_b)
    in_a = make_order(cast.admin_a, cast.customer_a1, service=cast.service_a)
    client = browser_as(cast.tech_a)
    first = client.get("/orders/").content.decode()
    assert 'name="lab"' in first  # the switcher is shown
    other = cast.lab_b if in_a.number in first else cast.lab_a
    assert client.post("/lab/switch/", {"lab": other.pk}).status_code == 302
    second = client.get("/orders/").content.decode()
    assert (in_a.number in first) != (in_a.number in second)
    assert (in_b.number in first) != (in_b.number in second)


def test_the_lab_switcher_refuses_a_lab_the_user_is_not_in(cast, order_in, browser_as):
    order = order_in("draft")
    client = browser_as(cast.tech_a)
    client.post("/lab/switch/", {"lab": cast.lab_b.pk})
    assert order.number in client.get("/orders/").content.decode()


def test_a_user_without_a_lab_is_told_so(cast, browser_as):
    assert browser_as(UserFactory()).get("/orders/").status_code == 403



def test_the_lab_filters_by_customer_due_date_and_assignee(cast, order_in, browser_as):
    mine = order_in("published")
    other = make_order(cast.admin_a, cast.customer_a2, status="published", service=cast.service_a)
    mine.tasks.filter(position=1).update(assignee=cast.tech_a)
    client = browser_as(cast.admin_a)

    def listed(**params) -> set[str]:
        return {o.number for o, _ in client.get("/orders/", params).context["rows"]}

    assert listed(customer=cast.customer_a2.pk) == {other.number}
    assert listed(assignee=cast.tech_a.pk) == {mine.number}
    due = mine.due_date.isoformat()
    assert listed(due_from=due, due_to=due) == {mine.number, other.number}
    assert listed(due_to=(mine.due_date - dt.timedelta(days=1)).isoformat()) == set()


def test_the_order_page_links_the_printed_order_form_and_the_lab_its_box_label(cast, order_in, browser_as):
    order = order_in("published")
    dentist_html = browser_as(cast.dentist_a1).get(f"/orders/{order.number}/").content.decode()
    assert f'action="/orders/{order.number}/print/"' in dentist_html  # the print dialog's form
    assert f"/orders/{order.number}/label/" not in dentist_html
    assert f'href="/orders/{order.number}/label/"' in browser_as(cast.tech_a).get(
        f"/orders/{order.number}/").content.decode()


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_the_list_and_order_pages_cost_the_same_queries_however_many_orders(cast, order_in, browser_as):
    client = browser_as(cast.admin_a)
    first = order_in("production", lines=1)
    list_small, detail_small = queries_for(client, "/orders/"), queries_for(client, f"/orders/{first.number}/")
    for _ in range(4):
        order_in("production", lines=3)
    bigger = order_in("production", lines=3)
    assert queries_for(client, "/orders/") == list_small
    assert queries_for(client, f"/orders/{bigger.number}/") == detail_small
