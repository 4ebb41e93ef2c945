"""The action endpoint itself, POST /orders/{number}/actions/{action}: an unknown action gets a 404
naming the known ones, and If-Match accepts the current ETag, strong or weak."""

from __future__ import annotations

import pytest

from tests.orders.helpers import act, reload, snapshot


@pytest.mark.parametrize("action", ["frobnicate", "complete", "record-payment", "PUBLISH"])
def test_a_lab_admin_gets_404_for_an_unknown_action_listing_the_known_ones(cast, api, order_in, action):
    order = order_in("published")
    before = snapshot(order)

    response = act(api(cast.admin_a), order, action, {"reason": "x"})

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert action in detail
    for known in ["publish", "takedown", "start-production", "produce", "ship", "update-tracking", "deliver",
                  "cancel", "reopen"]:
        assert known in detail
    assert snapshot(order) == before


def test_an_action_with_the_current_etag_goes_through(cast, api, order_in):
    order = order_in("produced")

    response = act(api(cast.tech_a), order, "ship", {"tracking_number": "1Z"}, HTTP_IF_MATCH=order.etag)

    assert response.status_code == 200, response.content
    assert reload(order).status == "shipped"


def test_a_weak_etag_is_accepted_too(cast, api, order_in):
    order = order_in("produced")

    response = act(api(cast.tech_a), order, "ship", {"tracking_number": "1Z"}, HTTP_IF_MATCH="W/" + order.etag)

    assert response.status_code == 200, response.content
