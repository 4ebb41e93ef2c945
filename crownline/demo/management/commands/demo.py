"""`crownline demo`: two labs, their people, a catalogue and orders in every status."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from crownline.demo.seed import DEFAULT_PASSWORD, seed
from crownline.demo.trust import demo_totp_secret


class Command(BaseCommand):
    help = "Create demo labs, users, a catalogue and orders in every status (safe to run twice)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="password of every demo login")

    def handle(self, *args, **options) -> None:
        created = seed(options["password"])
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo data created: {created} orders."))
        else:
            self.stdout.write("Demo data already present; nothing added.")
        self.stdout.write(
            f"Demo logins (password: {options['password']}): lab-admin, technician, technician-2, dentist "
            "(Demo Dental Lab); other-admin, other-dentist (Second Lab).\n"
            f"secure-tech (Demo Dental Lab) signs in with two-factor: authenticator key {demo_totp_secret()}.\n"
            "Pending invitations print their links above; Second Lab takes sign-ups on /register/second-lab/."
        )
