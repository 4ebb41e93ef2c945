"""Files taken along by a copy or a remake (issue 13): the files app copies the chosen ones; a
dentist takes only files shared with them, and a refusal leaves no new order behind."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from crownline.files import services as files
from crownline.orders.models import Order
from tests.files.samples import binary_stl, sphere

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }


def _scan(user, order, name, *, shared):
    data = binary_stl(sphere(rings=4, segments=6))
    return files.upload_file(user, order.number, SimpleUploadedFile(name, data, "model/stl"), shared=shared)


def test_dentist_copies_with_a_shared_scan(cast, api, order_in):
    order = order_in("delivered")
    scan = _scan(cast.admin_a, order, "upper.stl", shared=True)
    response = api(cast.dentist_a1).post(f"/orders/{order.number}/copy", {"files": [scan.pk]})
    assert response.status_code == 201, response.content
    copy = Order.objects.get(number=response.json()["number"])
    assert [f.name for f in copy.files.all()] == ["upper.stl"]
    assert copy.events.get(action="copied-from").data == {"order": order.number, "files": 1}


def test_dentist_may_not_take_an_internal_file_and_nothing_is_made(cast, api, order_in):
    order = order_in("delivered")
    internal = _scan(cast.admin_a, order, "lab-only.stl", shared=False)
    before = Order.objects.count()
    response = api(cast.dentist_a1).post(f"/orders/{order.number}/copy", {"files": [internal.pk]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "files"
    assert Order.objects.count() == before


def test_lab_admin_remake_takes_an_internal_file_along(cast, api, order_in):
    order = order_in("delivered")
    internal = _scan(cast.admin_a, order, "lab-only.stl", shared=False)
    response = api(cast.admin_a).post(
        f"/orders/{order.number}/remakes", {"reason": "fit", "payer": "lab", "files": [internal.pk]}
    )
    assert response.status_code == 201, response.content
    remake = Order.objects.get(number=response.json()["number"])
    assert [(f.name, f.shared) for f in remake.files.all()] == [("lab-only.stl", False)]
