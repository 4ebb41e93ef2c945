"""The pages work under the Content Security Policy: no inline script or style is refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_technician_works_an_order_without_a_single_policy_violation(cast, order_in, signed_in):
    order = order_in("production", plan=True)
    page = signed_in(cast.tech_a)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto(f"/orders/{order.number}/")
    page.locator("button.tick[aria-pressed=false]").first.click()
    expect(page.locator("#work-plan-progress")).to_have_text("1 of 3 done")
    page.goto("/tasks/mine/")
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui")).to_be_visible()

    assert violations == []
    header = page.request.get(f"/orders/{order.number}/").headers["content-security-policy"]
    assert "script-src 'self'" in header and "frame-ancestors 'none'" in header
