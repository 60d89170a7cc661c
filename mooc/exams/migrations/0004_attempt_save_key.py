import secrets

from django.db import migrations, models

import mooc.exams.models


def distinct_keys_for_running_attempts(apps, schema_editor):
    # AddField gave every existing row the same key; running attempts get their own.
    Attempt = apps.get_model("exams", "Attempt")
    for pk in Attempt.objects.filter(state="in_progress").values_list("pk", flat=True):
        Attempt.objects.filter(pk=pk).update(save_key=secrets.token_hex(16))


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0003_exam_category_quota"),
    ]

    operations = [
        migrations.AddField(
            model_name="attempt",
            name="save_key",
            field=models.CharField(
                default=mooc.exams.models.new_save_key, editable=False, max_length=32
            ),
        ),
        migrations.RunPython(distinct_keys_for_running_attempts, migrations.RunPython.noop),
    ]
