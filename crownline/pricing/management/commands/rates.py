"""`crownline rates import FILE [--lab SLUG]`: the ECB's daily reference rates as the labs' rates.

Download https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml (e.g. from cron each
working day at 16:30 CET) and import it: every lab (or the one named) gets the day's rates of
its payment currencies, cross rates through the euro when it works in another currency.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crownline.pricing import ecb


class Command(BaseCommand):
    help = "Exchange rates: `rates import FILE [--lab SLUG]` reads the ECB daily XML (eurofxref-daily.xml)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, parser_class=CommandParser)
        importing = sub.add_parser("import", help="import an ECB eurofxref-daily.xml file")
        importing.add_argument("file", help="path of the ECB daily XML file")
        importing.add_argument("--lab", dest="lab", default=None, help="only this lab (its slug)")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        try:
            day = ecb.parse(data)
            done = ecb.import_day(day, lab_slug=options["lab"])
        except ecb.BadFile as exc:
            raise CommandError(f"{path}: {exc}; nothing was imported") from None
        if not done:
            self.stdout.write(f"{day.day}: no lab takes a currency of this file (nothing to import)")
        for row in done:
            what = "imported" if row.written else "kept the lab's manual rate"
            self.stdout.write(f"{row.lab}: 1 = {row.rate} {row.currency} from {row.valid_on} ({what})")
