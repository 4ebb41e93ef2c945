"""The benchmark seeder writes orders the app accepts: it goes around the ORM (COPY, executemany),
so a new NOT NULL column of the app breaks it silently unless something runs it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_bench_seeder_writes_orders_whose_money_adds_up(tmp_path):
    seeder = [sys.executable, str(ROOT / "bench" / "seed.py"), "--orders", "30", "--sqlite", str(tmp_path)]
    subprocess.run(seeder, check=True, cwd=ROOT, capture_output=True, timeout=300)  # noqa: S603 - our own script
    db = sqlite3.connect(next(tmp_path.glob("*.sqlite3")))
    orders = db.execute("SELECT id, total, subtotal, list_total, discount_amount, tax_amount, amount_paid "
                        "FROM orders_order").fetchall()
    assert len(orders) == 30
    for order_id, total, subtotal, list_total, discount, tax, paid in orders:
        lines = db.execute("SELECT unit_price, list_price, quantity FROM orders_orderline WHERE order_id = ?",
                           (order_id,)).fetchall()
        line_sum = sum(Decimal(str(price)) * qty for price, _, qty in lines)
        assert Decimal(str(total)) == Decimal(str(subtotal)) == Decimal(str(list_total)) == line_sum
        assert Decimal(str(discount)) == Decimal(str(tax)) == 0
        paid_sum = db.execute("SELECT COALESCE(SUM(amount), 0) FROM orders_payment WHERE order_id = ? "
                              "AND voided_at IS NULL", (order_id,)).fetchone()[0]
        assert Decimal(str(paid)) == Decimal(str(paid_sum))
