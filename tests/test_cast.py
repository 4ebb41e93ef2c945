def test_the_cast_can_sign_in_and_see_their_orders(cast, api, order_in):
    order = order_in("shipped")
    assert api(cast.admin_a).get(f"/orders/{order.number}").json()["status"] == "shipped"
    assert api(cast.dentist_a1).get(f"/orders/{order.number}").status_code == 200
    assert api(cast.dentist_a2).get(f"/orders/{order.number}").status_code == 404
    assert api(cast.admin_b).get(f"/orders/{order.number}").status_code == 404
    assert api().get(f"/orders/{order.number}").status_code == 401
