"""An index on the captcha store's expiry (django-simple-captcha has none).

Every captcha check first deletes the expired rows (`CaptchaStore.remove_expired`,
`expiration <= now`), and every view of a page with a captcha adds a row. Without the
index that delete reads the whole table on every login: cheap while the table is small,
but a crawler or a login storm that leaves rows behind makes each login pay for all of
them. SQLite and PostgreSQL both take this statement.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_jp_ledger_and_siasn_settings"),
        ("captcha", "0002_alter_captchastore_id"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS mooc_captcha_expiration "
            "ON captcha_captchastore (expiration)",
            "DROP INDEX IF EXISTS mooc_captcha_expiration",
        ),
    ]
