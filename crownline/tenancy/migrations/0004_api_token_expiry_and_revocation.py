"""API tokens end: a name, an expiry, the last use, revocation with its reason.

Tokens issued before this migration get the usual lifetime counted from their creation, so an
upgrade neither signs every script out at once nor leaves a token that never ends.
"""

import datetime as dt

from django.conf import settings
from django.db import migrations, models


def expire_old_tokens(apps, schema_editor):
    ApiToken = apps.get_model("tenancy", "ApiToken")
    lifetime = dt.timedelta(days=settings.CROWNLINE_TOKEN_DAYS)
    for token in ApiToken.objects.filter(expires_at=None).only("pk", "created_at"):
        ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at + lifetime)


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0003_lab_registration_and_two_factor"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken", name="name", field=models.CharField(default="API token", max_length=100)),
        migrations.AddField(model_name="apitoken", name="expires_at", field=models.DateTimeField(null=True)),
        migrations.RunPython(expire_old_tokens, migrations.RunPython.noop),
        migrations.AlterField(model_name="apitoken", name="expires_at", field=models.DateTimeField()),
        migrations.AddField(
            model_name="apitoken", name="last_used_at", field=models.DateTimeField(blank=True, null=True)),
        migrations.AddField(
            model_name="apitoken", name="revoked_at", field=models.DateTimeField(blank=True, null=True)),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_reason",
            field=models.CharField(
                blank=True,
                choices=[("revoked", "Revoked by its owner"), ("signed_out", "Signed out"),
                         ("password_changed", "Password changed"), ("deactivated", "Deactivated in a lab"),
                         ("removed", "Removed from a lab")],
                max_length=20,
            ),
        ),
        migrations.AddField(model_name="apitoken", name="second_factor", field=models.BooleanField(default=False)),
        migrations.AddIndex(
            model_name="apitoken",
            index=models.Index(fields=["user", "revoked_at"], name="api_token_user_live"),
        ),
    ]
