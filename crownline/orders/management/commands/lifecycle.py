"""`crownline lifecycle`: print the order life cycle as a Mermaid diagram (for the README)."""

from django.core.management.base import BaseCommand

from crownline.orders.lifecycle import mermaid


class Command(BaseCommand):
    help = "Print the order life cycle as a Mermaid state diagram."

    def handle(self, *args, **options) -> None:
        self.stdout.write(mermaid())
