"""What rendering each PDF in a forked child (the time limit, CROWNLINE_PDF_TIMEOUT) costs a normal print.

    .venv/bin/python -m tests.documents.measure_print_overhead [rounds]

Sets up a throw-away SQLite database (in a new temporary directory), makes one order in
production with a work plan and a few comments, and times the same order form rendered to
PDF in a forked child (limit 10 s), then in the worker itself (limit 0), and a fork that does
nothing. Prints the medians.
Not a test module: pytest does not collect it.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time


def main(rounds: int) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "crownline.settings"
    os.environ.pop("DATABASE_URL", None)
    os.environ["CROWNLINE_DATA_DIR"] = tempfile.mkdtemp(prefix="crownline-measure-")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from crownline.documents import content, forked, rendering
    from crownline.documents.options import ALL_SECTIONS
    from crownline.orders import comments
    from tests.factories import CustomerFactory, LabFactory, MembershipFactory, ServiceFactory, make_order

    lab = LabFactory()
    admin = MembershipFactory(lab=lab, role="lab_admin").user
    order = make_order(admin, CustomerFactory(lab=lab), status="production", service=ServiceFactory(lab=lab), lines=3)
    for i in range(5):
        comments.add_comment(admin, order.number, body=f"Comment {i}: " + "please check the margin. " * 8)
    html = rendering.order_form_html(content.order_form(admin, order.number, sections=ALL_SECTIONS, paper=None))
    # Forked first, as a worker that only forks would (its caches filled by the warm-up alone);
    # then in the worker itself, which leaves its own caches behind.
    medians = {}
    for limit in (10.0, 0.0):
        settings.CROWNLINE_PDF_TIMEOUT = limit
        rendering.html_to_pdf(html)  # the first print of a worker also imports WeasyPrint
        runs = []
        for _ in range(rounds):
            started = time.perf_counter()
            rendering.html_to_pdf(html)
            runs.append(time.perf_counter() - started)
        medians[limit] = statistics.median(runs) * 1000
    fork_alone = []
    for _ in range(rounds):
        started = time.perf_counter()
        forked.call(int, timeout=10)
        fork_alone.append(time.perf_counter() - started)
    inside, child = medians[0.0], medians[10.0]
    sys.stdout.write(
        f"order form, median of {rounds}: in the worker {inside:.0f} ms, in a forked child {child:.0f} ms "
        f"(difference {child - inside:+.0f} ms); a fork doing nothing: {statistics.median(fork_alone) * 1000:.1f} ms\n"
    )

if __name__ == "__main__":
    try:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
    finally:
        shutil.rmtree(os.environ.get("CROWNLINE_DATA_DIR", "/nonexistent"), ignore_errors=True)
