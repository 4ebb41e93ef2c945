"""Fuzzed uploads: any bytes under any name give an answer, never a server error, and a refused
upload stores nothing."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crownline.files.models import OrderFile
from tests.files.conftest import stored_files
from tests.files.samples import SAMPLES

MAGIC = [
    b"",
    b"\xff\xd8\xff",
    b"\x89PNG\r\n\x1a\n",
    b"%PDF-",
    b"PK\x03\x04",
    b"ply\n",
    b"solid x\nfacet normal",
    b"\x00\x00\x00\x18ftypheic",
    b"v 1 2 3\n",
    b"\x00" * 80 + b"\x01\x00\x00\x00",
]
EXTENSIONS = ["stl", "STL", "ply", "obj", "3mf", "jpg", "jpeg", "png", "heic", "pdf", "zip", "exe", "", "stl.exe"]
# A name a multipart part can carry at all (Django drops a part whose file name is empty).
names = st.builds(
    lambda stem, ext: f"{stem}.{ext}" if ext else stem, st.text(min_size=0, max_size=40), st.sampled_from(EXTENSIONS)
).filter(lambda name: os.path.basename(name) not in ("", ".", ".."))
contents = st.one_of(
    st.builds(lambda magic, rest: magic + rest, st.sampled_from(MAGIC), st.binary(max_size=600)),
    st.builds(lambda sample, cut: SAMPLES[sample][:cut], st.sampled_from(sorted(SAMPLES)), st.integers(1, 5000)),
)


@given(name=names, data=contents, shared=st.sampled_from([None, True, False]))
@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
def test_any_bytes_under_any_name_never_give_a_server_error(cast, order_in, upload, storage_dir, name, data, shared):
    order = order_in("published")
    before = len(stored_files(storage_dir))
    response = upload(cast.dentist_a1, order.number, name, data, shared=shared)
    assert response.status_code in (201, 413, 422), (response.status_code, response.content)
    stored = OrderFile.objects.filter(order=order).count()
    if response.status_code == 201:
        assert stored == 1 and len(stored_files(storage_dir)) == before + 1
    else:
        assert stored == 0 and len(stored_files(storage_dir)) == before
        assert response.json()["errors"][0]["field"] in ("file", "shared")
