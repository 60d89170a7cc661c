# Attempts keep only their draw: the copied texts and options are gone (0007 moved
# them into shared snapshots), and every attempt question has its snapshot.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0009_attempts_share_snapshots"),
    ]

    operations = [
        migrations.AlterField(
            model_name="attemptquestion",
            name="snapshot",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="attempt_questions",
                to="exams.questionsnapshot",
            ),
        ),
        # A default first, so that going back can add the column to existing rows.
        migrations.AlterField(
            model_name="attemptquestion",
            name="text",
            field=models.TextField(default="", verbose_name="question"),
        ),
        migrations.RemoveField(model_name="attemptquestion", name="general_feedback"),
        migrations.RemoveField(model_name="attemptquestion", name="image"),
        migrations.RemoveField(model_name="attemptquestion", name="text"),
        migrations.DeleteModel(name="AttemptOption"),
    ]
