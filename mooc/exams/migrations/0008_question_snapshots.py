# The shared, immutable question snapshots; attempt questions point at one (filled in
# by 0007 for the attempts started before, then made required by 0008).

import django.db.models.deletion
from django.db import migrations, models

import mooc.core.files


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0007_exam_is_pretest"),
    ]

    operations = [
        migrations.CreateModel(
            name="QuestionSnapshot",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "question_version",
                    models.PositiveIntegerField(verbose_name="question version"),
                ),
                ("digest", models.CharField(editable=False, max_length=64, unique=True)),
                (
                    "qtype",
                    models.CharField(
                        choices=[
                            ("single", "Multiple choice (one answer)"),
                            ("multiple", "Multiple response"),
                            ("truefalse", "True/false"),
                        ],
                        max_length=10,
                        verbose_name="type",
                    ),
                ),
                ("text", models.TextField(verbose_name="question")),
                (
                    "image",
                    models.ImageField(
                        blank=True,
                        storage=mooc.core.files.private_storage,
                        upload_to="questions/",
                        verbose_name="image",
                    ),
                ),
                ("general_feedback", models.TextField(blank=True, verbose_name="general feedback")),
                ("options", models.JSONField(default=list, verbose_name="options")),
                ("option_count", models.PositiveSmallIntegerField(verbose_name="number of options")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "question",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="snapshots",
                        to="exams.question",
                    ),
                ),
            ],
            options={
                "verbose_name": "question snapshot",
                "verbose_name_plural": "question snapshots",
                "ordering": ["id"],
                "indexes": [
                    models.Index(
                        fields=["question", "question_version"], name="exams_snapshot_q_version"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="attemptquestion",
            name="option_order",
            field=models.JSONField(default=list, verbose_name="option order"),
        ),
        migrations.AddField(
            model_name="attemptquestion",
            name="snapshot",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="attempt_questions",
                to="exams.questionsnapshot",
            ),
        ),
    ]
