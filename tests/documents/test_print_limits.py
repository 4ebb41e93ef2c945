"""What one order may cost a print: capped sections, and a time limit on the PDF renderer.

The comments and history sections print the newest entries and say how many they left out;
a PDF that takes longer than CROWNLINE_PDF_TIMEOUT is stopped (its forked child killed) and
answered 503 with the reason and a Retry-After, and the worker is free again.
"""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest

from crownline.documents import forked, rendering, warm_up
from crownline.orders import comments


@pytest.fixture
def talkative(cast, order_in):
    """A published order with five comments, numbered oldest to newest."""
    order = order_in("published")
    for i in range(5):
        comments.add_comment(cast.dentist_a1, order.number, body=f"Comment number {i}.")
    return order


def preview(api, user, number: str, **params) -> str:
    response = api(user).get(f"/orders/{number}/print.html", params or None)
    assert response.status_code == 200
    return response.content.decode()


def test_the_comments_section_prints_the_newest_and_counts_the_rest(api, cast, talkative, settings):
    settings.CROWNLINE_PRINT_MAX_COMMENTS = 3
    html = preview(api, cast.admin_a, talkative.number, sections="comments")
    assert [i for i in range(5) if f"Comment number {i}." in html] == [2, 3, 4]
    assert "… and 2 more, older comments not printed" in html


def test_the_history_section_prints_the_newest_entries_and_counts_the_rest(api, cast, talkative, settings):
    settings.CROWNLINE_PRINT_MAX_HISTORY = 2
    html = preview(api, cast.admin_a, talkative.number, sections="history")
    total = len(api(cast.admin_a).get(f"/orders/{talkative.number}/events").json())
    assert html.count("Comment added") == 2
    assert f"… and {total - 2} more, older entries not printed" in html


def test_a_short_order_prints_whole_without_a_note(api, cast, talkative):
    html = preview(api, cast.dentist_a1, talkative.number)
    assert all(f"Comment number {i}." in html for i in range(5))
    assert "not printed" not in html


@pytest.fixture
def warm():
    """The worker's one warm-up print done, so that a patched renderer runs only in the child."""
    rendering._warm_up(rendering._weasyprint())


def _slow(weasyprint, html):
    time.sleep(60)
    raise AssertionError("the render was not stopped")


def test_a_render_past_the_time_limit_answers_503_and_frees_the_worker(
    api, cast, talkative, settings, monkeypatch, warm
):
    settings.CROWNLINE_PDF_TIMEOUT = 0.5
    monkeypatch.setattr(rendering, "_write_pdf", _slow)  # the forked child inherits the slow renderer
    started = time.monotonic()
    response = api(cast.admin_a).get(f"/orders/{talkative.number}/print.pdf")
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response["Retry-After"] == str(rendering.RETRY_AFTER_SECONDS)
    assert "CROWNLINE_PDF_TIMEOUT" in response.json()["detail"]
    assert multiprocessing.active_children() == []  # the child was killed and reaped


def test_a_real_document_that_takes_longer_than_a_tiny_limit_is_stopped(api, cast, talkative, settings):
    settings.CROWNLINE_PDF_TIMEOUT = 0.001
    response = api(cast.tech_a).get(f"/orders/{talkative.number}/label.pdf")
    assert response.status_code == 503 and response.has_header("Retry-After")
    settings.CROWNLINE_PDF_TIMEOUT = 10  # the same worker prints again at once
    assert api(cast.tech_a).get(f"/orders/{talkative.number}/label.pdf").status_code == 200


def test_the_print_button_gets_a_readable_page_with_retry_after(client, cast, talkative, settings, monkeypatch, warm):
    settings.CROWNLINE_PDF_TIMEOUT = 0.5
    monkeypatch.setattr(rendering, "_write_pdf", _slow)
    client.force_login(cast.dentist_a1)
    response = client.get(f"/orders/{talkative.number}/print/")
    assert response.status_code == 503 and response["Retry-After"]
    assert "Cannot print this" in response.content.decode()


def _dies(weasyprint, html):
    os._exit(1)


def test_a_renderer_that_dies_is_a_503_not_a_hang(api, cast, talkative, settings, monkeypatch, warm):
    monkeypatch.setattr(rendering, "_write_pdf", _dies)
    response = api(cast.admin_a).get(f"/orders/{talkative.number}/print.pdf")
    assert response.status_code == 503 and "stopped" in response.json()["detail"]


def test_a_limit_of_zero_renders_in_the_worker_itself(api, cast, talkative, settings, monkeypatch):
    settings.CROWNLINE_PDF_TIMEOUT = 0

    def no_fork(*args):
        raise AssertionError("forked although the limit is off")

    monkeypatch.setattr(forked, "call", no_fork)
    response = api(cast.admin_a).get(f"/orders/{talkative.number}/print.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_the_workers_warm_up_sample_holds_every_section_of_a_real_form():
    # A sample that left a section out would leave its fonts and styles cold in every child.
    html = rendering.order_form_html(warm_up.sample_order_form())
    for heading in ("Customer", "Service lines", "Work plan", "Comments", "History", "Payment reference"):
        assert heading in html
    assert "older comment not printed" in html and "older entry not printed" in html
