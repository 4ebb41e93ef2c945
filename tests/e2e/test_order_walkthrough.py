"""One order from the dentist's new draft to Completed, clicked through as each role would."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from crownline.orders.models import Order

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def status_of(page: Page):
    return page.locator("#order-status")


def open_dialog(page: Page, button: str, dialog_id: str):
    page.get_by_role("button", name=button, exact=True).click()
    dialog = page.locator(f"dialog#{dialog_id}")
    expect(dialog).to_be_visible()
    return dialog


def test_an_order_goes_from_a_dentists_draft_to_completed(cast, signed_in):
    due = cast.lab_a.local_date() + dt.timedelta(days=10)

    # The dentist writes the order, picking the teeth on the FDI chart, and saves a draft.
    dentist = signed_in(cast.dentist_a1)
    dentist.get_by_role("link", name="New order").first.click()
    dentist.get_by_label("Patient (name or code)").fill("Jane Roe")
    dentist.get_by_label("Due date").fill(due.isoformat())
    dentist.get_by_label("Service", exact=True).select_option(label=cast.service_a.name)
    dentist.get_by_text("Tooth chart (FDI)").click()
    dentist.locator("[data-tooth='21']").click()
    dentist.locator("[data-tooth='11']").click()
    expect(dentist.get_by_role("textbox", name="Teeth")).to_have_value("11, 21")
    dentist.get_by_label("Shade").fill("A2")
    dentist.get_by_label("Notes").fill("Please check the occlusion.")
    dentist.get_by_role("button", name="Save as draft").click()
    expect(status_of(dentist)).to_have_text("Draft")
    expect(dentist.get_by_text("saved.")).to_be_visible()
    expect(dentist.locator("td.teeth")).to_have_text("11, 21")
    number = re.search(r"/orders/([0-9A-F]{10})/", dentist.url).group(1)
    order_url = f"/orders/{number}/"

    # ... and sends it to the lab.
    dentist.get_by_role("button", name="Publish").click()
    expect(status_of(dentist)).to_have_text("Published")
    expect(dentist.get_by_role("button", name="Takedown")).to_be_visible()

    # The technician plans the work: automatically from the service, plus one task by hand.
    tech = signed_in(cast.tech_a)
    tech.goto(order_url)
    expect(tech.locator("#work-plan-progress")).to_have_text("0 of 0 done")
    tech.get_by_role("button", name="Create automatically").click()
    expect(tech.locator("#work-plan-progress")).to_have_text("0 of 3 done")
    dialog = open_dialog(tech, "Add task", "dlg-add-task")
    dialog.get_by_label("Task").fill("Polish")
    dialog.get_by_role("button", name="Add task").click()
    expect(tech.locator("#work-plan-progress")).to_have_text("0 of 4 done")

    # In Production asks the date the order was made.
    dialog = open_dialog(tech, "In Production", "dlg-start-production")
    expect(dialog.get_by_label("Production date")).to_have_value(cast.lab_a.local_date().isoformat())
    dialog.get_by_role("button", name="In Production").click()
    expect(status_of(tech)).to_have_text("Production")
    expect(tech.locator("#production-date")).to_have_text(cast.lab_a.local_date().isoformat())

    # Produce waits for the tasks; each is marked with one click (htmx, no page load).
    expect(tech.get_by_role("button", name="Produce")).to_be_disabled()
    expect(tech.get_by_role("link", name="mark the remaining tasks")).to_be_visible()
    tech.evaluate("window.stillThisPage = true")  # gone if a click reloaded the page instead of htmx
    for done, name in enumerate(["Model", "Design", "Finish", "Polish"], start=1):
        tech.get_by_role("button", name=f"Mark {name} done").click()
        expect(tech.locator("#work-plan-progress")).to_have_text(f"{done} of 4 done")
    assert tech.evaluate("window.stillThisPage === true")
    tech.get_by_role("button", name="Produce").click()
    expect(status_of(tech)).to_have_text("Produced")

    # Ship asks the tracking number and carrier; Update Tracking Number replaces it.
    dialog = open_dialog(tech, "Ship", "dlg-ship")
    dialog.get_by_label("Tracking number").fill("1Z999AA10123456784")
    dialog.get_by_label("Carrier").fill("UPS")
    dialog.get_by_role("button", name="Ship").click()
    expect(status_of(tech)).to_have_text("Shipped")
    expect(tech.locator("#tracking")).to_have_text("1Z999AA10123456784 (UPS)")
    dialog = open_dialog(tech, "Update Tracking Number", "dlg-update-tracking")
    dialog.get_by_label("Tracking number").fill("JJD0099887766")
    dialog.get_by_label("Carrier").fill("DHL")
    dialog.get_by_role("button", name="Update").click()
    expect(tech.locator("#tracking")).to_have_text("JJD0099887766 (DHL)")
    expect(tech.locator("#history")).to_contain_text("tracking number 1Z999AA10123456784 (UPS)")
    expect(tech.locator("#amount-due")).to_have_count(0)  # no money figures for a technician

    # The dentist confirms the delivery.
    dentist.goto(order_url)
    dentist.get_by_role("button", name="Deliver").click()
    expect(status_of(dentist)).to_have_text("Delivered")
    expect(dentist.get_by_role("button", name="Mark as paid")).to_have_count(0)

    # The lab admin reads the payment instructions and records the payment: Completed.
    admin = signed_in(cast.admin_a)
    admin.goto(order_url)
    admin.get_by_role("link", name="Payment Instructions").click()
    instructions = admin.locator("#payment-instructions")
    expect(instructions).to_contain_text(f"#{number}")
    expect(instructions).to_contain_text("100.00 EUR")
    expect(instructions).to_contain_text(cast.lab_a.payment_instructions)
    admin.get_by_role("link", name=f"Back to #{number}").click()
    dialog = open_dialog(admin, "Mark as paid", "dlg-record-payment")
    expect(dialog.get_by_label("Amount")).to_have_value("100.00")
    dialog.get_by_label("Method").fill("Bank transfer")
    dialog.get_by_role("button", name="Record payment").click()
    expect(status_of(admin)).to_have_text("Completed")
    expect(admin.locator("#amount-due")).to_have_text("0.00 EUR")
    expect(admin.locator("#history li").first).to_contain_text("Payment recorded — 100.00 by Bank transfer Completed")

    order = Order.objects.get(number=number)
    assert (order.status, order.amount_paid, order.tracking_number) == ("completed", Decimal("100.00"), "JJD0099887766")
    assert list(order.events.values_list("action", flat=True)) == [
        "create", "publish", "plan-work", "add-task", "start-production", "mark-task-done", "mark-task-done",
        "mark-task-done", "mark-task-done", "produce", "ship", "update-tracking", "deliver", "record-payment",
    ]
