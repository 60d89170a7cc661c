"""`Course.instructors` now goes through CourseInstructor (filled by 0004), so the
course keeps its instructors' order; the old plain link table is dropped."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_courseinstructor"),
    ]

    operations = [
        migrations.RemoveField(model_name="course", name="instructors"),
        migrations.AddField(
            model_name="course",
            name="instructors",
            field=models.ManyToManyField(
                blank=True,
                related_name="courses",
                through="catalog.CourseInstructor",
                to="catalog.instructor",
                verbose_name="instructors",
            ),
        ),
    ]
