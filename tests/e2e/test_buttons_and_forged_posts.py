"""People see only the buttons they may use, and a hand-made POST for any other is refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from crownline.orders.models import Order

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FORGE = """([url, fields]) => {
  const form = document.createElement("form");
  form.method = "post";
  form.action = url;
  const add = (name, value) => {
    const input = document.createElement("input");
    input.type = "hidden"; input.name = name; input.value = value; form.appendChild(input);
  };
  add("csrfmiddlewaretoken", document.querySelector("[name=csrfmiddlewaretoken]").value);
  for (const [name, value] of Object.entries(fields)) add(name, value);
  document.body.appendChild(form);
  form.submit();
}"""


def forge(page: Page, url: str, **fields: str):
    """Submit a form the page never offered, with the page's own CSRF token (as a tampering user would)."""
    with page.expect_navigation() as navigation:
        page.evaluate(FORGE, [url, fields])
    return navigation.value


def buttons(page: Page) -> list[str]:
    return [t.strip() for t in page.locator("#actions").locator("button, a").all_inner_texts()]


def test_each_role_sees_only_its_buttons_and_forged_posts_change_nothing(cast, order_in, signed_in):
    order = order_in("published")
    url = f"/orders/{order.number}/"
    version = str(order.version)
    events = order.events.count()

    tech = signed_in(cast.tech_a, width=390, height=844)  # at the bench, on a phone
    tech.goto(url)
    assert buttons(tech) == [
        "In Production", "Payment Instructions", "Print", "Print label", "Put on hold", "Send for fitting",
    ]
    expect(tech.locator("#amount-due")).to_have_count(0)

    response = forge(tech, f"{url}actions/record-payment/", version=version, amount="100.00", method="cash")
    assert response.status == 403
    expect(tech.locator(".msg.error")).to_have_text("A technician may not record payment.")
    expect(tech.locator("#order-status")).to_have_text("Published")

    dentist = signed_in(cast.dentist_a1)
    dentist.goto(url)
    assert buttons(dentist) == ["Takedown", "Payment Instructions", "Print", "Copy", "Cancel"]
    expect(dentist.locator("#work-plan")).to_have_count(0)  # tasks and their pay are the lab's
    expect(dentist.get_by_label("Internal (lab only)")).to_have_count(0)

    response = forge(dentist, f"{url}actions/start-production/", version=version, production_date="2020-01-01")
    assert response.status == 403
    expect(dentist.locator(".msg.error")).to_have_text("A customer may not start production.")

    # Another dentist of the same lab: the order does not exist for them.
    other = signed_in(cast.dentist_a2)
    expect(other.get_by_role("link", name=order.display_number)).to_have_count(0)
    response = forge(other, f"{url}actions/cancel/", version=version, reason="mine now")
    assert response.status == 404

    order.refresh_from_db()
    assert (order.status, order.version, order.amount_paid, order.events.count()) == (
        "published", int(version), 0, events
    )
    assert not order.payments.exists()
    assert Order.objects.get(pk=order.pk).production_date is None
