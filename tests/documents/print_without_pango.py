"""Run by test_without_pango.py in a process where the Pango library cannot be loaded.

Sets up a throw-away SQLite database, makes one order, asks for its prints through the API,
and prints each answer as JSON on stdout. Not a test module itself: pytest does not collect it.
"""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "crownline.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from crownline.tenancy.models import ApiToken
    from tests.factories import CustomerFactory, LabFactory, MembershipFactory, ServiceFactory, make_order

    lab = LabFactory()
    admin = MembershipFactory(lab=lab, role="lab_admin").user
    order = make_order(admin, CustomerFactory(lab=lab), status="published", service=ServiceFactory(lab=lab))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(admin)}")
    answers = {}
    for endpoint in ("print.pdf", "label.pdf", "print.html"):
        response = client.get(f"/api/v1/orders/{order.number}/{endpoint}")
        answers[endpoint] = {
            "status": response.status_code,
            "content_type": response["Content-Type"],
            "body": response.content.decode(errors="replace")[:2000],
        }
    browser = Client()
    browser.force_login(admin)
    for page in ("print", "label"):
        response = browser.get(f"/orders/{order.number}/{page}/")
        answers[page] = {
            "status": response.status_code,
            "content_type": response["Content-Type"],
            "body": response.content.decode(errors="replace")[:4000],
        }
    sys.stdout.write("ANSWERS " + json.dumps(answers) + "\n")


if __name__ == "__main__":
    main()
