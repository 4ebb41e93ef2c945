# Written by hand (Django 5.2): check constraints that keep money within its columns' range.

from decimal import Decimal

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="service",
            constraint=models.CheckConstraint(
                condition=models.Q(("price__gte", Decimal("0")), ("price__lte", Decimal("9999999999.99"))),
                name="service_price_in_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="tasktemplate",
            constraint=models.CheckConstraint(
                condition=models.Q(("default_pay__gte", Decimal("0")), ("default_pay__lte", Decimal("9999999999.99"))),
                name="task_template_pay_in_range",
            ),
        ),
    ]
