"""Install the default Indonesian evaluation template (mooc/evaluation/defaults.py)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from mooc.evaluation.defaults import (
    DEFAULT_ITEMS,
    DEFAULT_TEMPLATE_DESCRIPTION,
    DEFAULT_TEMPLATE_KEY,
    DEFAULT_TEMPLATE_NAME,
    HIGH,
    LOW,
)


def install(apps: Any, schema_editor: Any) -> None:
    template_model = apps.get_model("evaluation", "EvaluationTemplate")
    item_model = apps.get_model("evaluation", "EvaluationItem")
    template, created = template_model.objects.get_or_create(
        key=DEFAULT_TEMPLATE_KEY,
        defaults={"name": DEFAULT_TEMPLATE_NAME, "description": DEFAULT_TEMPLATE_DESCRIPTION},
    )
    if not created:
        return
    item_model.objects.bulk_create(
        item_model(
            template=template,
            position=position,
            group=group,
            text=text,
            kind=kind,
            low_label=LOW if kind == "scale" else "",
            high_label=HIGH if kind == "scale" else "",
            required=required,
            per_instructor=per_instructor,
        )
        for position, (group, text, kind, required, per_instructor) in enumerate(
            DEFAULT_ITEMS, start=1
        )
    )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
