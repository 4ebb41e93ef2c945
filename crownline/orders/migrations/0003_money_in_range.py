# Written by hand (Django 5.2): check constraints that keep money within its columns' range, so an
# order total that does not fit is refused by the database too, instead of breaking every read.

from decimal import Decimal

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0002_list_and_search_indexes"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="order",
            constraint=models.CheckConstraint(
                condition=models.Q(("total__gte", Decimal("0")), ("total__lte", Decimal("9999999999.99"))),
                name="order_total_in_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="order",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount_paid__gte", Decimal("0")), ("amount_paid__lte", Decimal("9999999999.99"))),
                name="order_amount_paid_in_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="orderline",
            constraint=models.CheckConstraint(
                condition=models.Q(("unit_price__gte", Decimal("0")), ("unit_price__lte", Decimal("9999999999.99"))),
                name="order_line_unit_price_in_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="orderline",
            constraint=models.CheckConstraint(condition=models.Q(("quantity__gte", 1)), name="order_line_quantity_positive"),
        ),
        migrations.AddConstraint(
            model_name="payment",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount__gte", Decimal("0.01")), ("amount__lte", Decimal("9999999999.99"))),
                name="payment_amount_in_range",
            ),
        ),
    ]
