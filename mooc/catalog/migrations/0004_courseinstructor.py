"""Courses keep their instructors in an order (lead instructor first): a through model
with a position. The existing links are copied over in alphabetical order, which is the
order every page showed them in until now; 0005 then points `Course.instructors` at it."""

import django.db.models.deletion
from django.db import migrations, models


def copy_links_alphabetically(apps, schema_editor):  # type: ignore[no-untyped-def]
    Course = apps.get_model("catalog", "Course")
    CourseInstructor = apps.get_model("catalog", "CourseInstructor")
    Link = Course.instructors.through
    rows = []
    position: dict[int, int] = {}
    for link in Link.objects.order_by("course_id", "instructor__name", "instructor_id").iterator():
        index = position.get(link.course_id, 0)
        position[link.course_id] = index + 1
        rows.append(
            CourseInstructor(
                course_id=link.course_id, instructor_id=link.instructor_id, position=index
            )
        )
    CourseInstructor.objects.bulk_create(rows, batch_size=1000)


def copy_links_back(apps, schema_editor):  # type: ignore[no-untyped-def]
    Course = apps.get_model("catalog", "Course")
    CourseInstructor = apps.get_model("catalog", "CourseInstructor")
    Link = Course.instructors.through
    Link.objects.bulk_create(
        [
            Link(course_id=row.course_id, instructor_id=row.instructor_id)
            for row in CourseInstructor.objects.iterator()
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_labels_package_code_instructor_position"),
    ]

    operations = [
        migrations.CreateModel(
            name="CourseInstructor",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                (
                    "course",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="instructor_links",
                        to="catalog.course",
                        verbose_name="course",
                    ),
                ),
                (
                    "instructor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="course_links",
                        to="catalog.instructor",
                        verbose_name="instructor",
                    ),
                ),
            ],
            options={
                "verbose_name": "course instructor",
                "verbose_name_plural": "course instructors",
                "ordering": ["position", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("course", "instructor"), name="catalog_courseinstructor_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(copy_links_alphabetically, copy_links_back),
    ]
