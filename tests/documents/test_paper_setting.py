"""The lab's paper size: a lab setting, A4 unless the lab prints on US Letter."""

from __future__ import annotations


def test_a_lab_prints_on_a4_until_its_admin_says_letter(api, cast):
    client = api(cast.admin_a)
    assert client.get("/labs/lab-a/settings").json()["paper_size"] == "a4"
    response = client.patch("/labs/lab-a/settings", {"paper_size": "letter"})
    assert response.status_code == 200
    assert response.json()["paper_size"] == "letter"
    cast.lab_a.refresh_from_db()
    assert cast.lab_a.paper_size == "letter"


def test_an_unknown_paper_size_is_refused_naming_the_allowed_ones(api, cast):
    response = api(cast.admin_a).patch("/labs/lab-a/settings", {"paper_size": "a5"})
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == [{"field": "paper_size", "message": "unknown paper size 'a5'; allowed: a4, letter"}]
    cast.lab_a.refresh_from_db()
    assert cast.lab_a.paper_size == "a4"


def test_a_technician_may_not_change_it(api, cast):
    assert api(cast.tech_a).patch("/labs/lab-a/settings", {"paper_size": "letter"}).status_code == 403
