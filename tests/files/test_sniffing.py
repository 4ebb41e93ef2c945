"""What a file is, from its bytes (crownline.files.sniffing, pure: no Django)."""

from __future__ import annotations

import io

import pytest

from crownline.files.sniffing import Refused, clean_name, sniff
from tests.files.samples import EXPECTED_TYPES, SAMPLES, binary_stl, sphere


def _sniff(name: str, data: bytes):
    return sniff(io.BytesIO(data), len(data), name)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_sample_is_what_its_name_says(name):
    assert _sniff(name, SAMPLES[name]).type == EXPECTED_TYPES[name]


def test_a_binary_stl_whose_header_begins_with_solid_is_still_binary():
    data = binary_stl(sphere(4, 6), header=b"solid exported by a scanner")
    assert _sniff("scan.stl", data).type == "stl"


def test_the_extension_is_read_in_any_case_and_jpg_is_jpeg():
    assert _sniff("SMILE.JPG", SAMPLES["smile.jpg"]).content_type == "image/jpeg"
    assert _sniff("photo.HEIF", SAMPLES["iphone.heic"]).type == "heic"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("model.obj", b"v hello world\nf 1 2 3\n"),
        ("model.obj", b"Dear lab,\nplease see the photo.\n"),
        ("lower.stl", b"solid name\nno facets here\n"),
        ("bite.ply", b"plyx\n" + b"0" * 200),
        ("upper.stl", SAMPLES["upper.stl"] + b"\0"),
    ],
)
def test_text_or_bytes_that_only_look_like_a_scan_are_refused(name, data):
    with pytest.raises(Refused, match="the file's content is not"):
        _sniff(name, data)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("C:\\Users\\lab\\upper.stl", "upper.stl"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("bite\x00\x1f.ply", "bite.ply"),
        ("  .hidden.png ", "hidden.png"),
        ("a" * 300 + ".stl", "a" * 196 + ".stl"),
    ],
)
def test_a_name_keeps_no_folders_or_control_characters(raw, clean):
    assert clean_name(raw) == clean
