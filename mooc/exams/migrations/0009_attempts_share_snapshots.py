# Data: every attempt question started before snapshots gets one, made from its own copy
# (text, picture, options in display order with weights and feedback). Copies with the
# same content (same question, version and options, whatever their display order) share
# one snapshot; the attempt keeps its display order in `option_order`. Nothing the
# learner saw or was graded on changes. Reversible: the copies are written back.

import hashlib
import json
from typing import Any

from django.db import migrations


def _digest(content: dict[str, Any]) -> str:
    # As mooc.exams.services.snapshots._digest (a migration must not import app code
    # that may change later).
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def to_snapshots(apps: Any, schema_editor: Any) -> None:
    AttemptQuestion = apps.get_model("exams", "AttemptQuestion")
    AttemptOption = apps.get_model("exams", "AttemptOption")
    QuestionSnapshot = apps.get_model("exams", "QuestionSnapshot")
    known: dict[str, int] = {}
    pending = AttemptQuestion.objects.filter(snapshot__isnull=True).order_by("pk")
    while True:
        batch = list(pending[:500])
        if not batch:
            break
        options: dict[int, list[tuple[str, str, str]]] = {q.pk: [] for q in batch}
        for row in (
            AttemptOption.objects.filter(attempt_question_id__in=list(options))
            .order_by("attempt_question_id", "position")
            .values_list("attempt_question_id", "text", "weight", "feedback")
        ):
            options[row[0]].append((row[1], str(row[2]), row[3]))
        for question in batch:
            shown = options[question.pk]
            # A canonical order (sorted), so differently shuffled copies share a snapshot.
            order = sorted(range(len(shown)), key=shown.__getitem__)
            canonical = [
                {"text": shown[i][0], "weight": shown[i][1], "feedback": shown[i][2]}
                for i in order
            ]
            option_order = [0] * len(shown)
            for index, position in enumerate(order):
                option_order[position] = index
            content = {
                "question": question.question_id,
                "version": question.question_version,
                "qtype": question.qtype,
                "text": question.text,
                "image": str(question.image or ""),
                "general_feedback": question.general_feedback,
                "options": canonical,
            }
            digest = _digest(content)
            if digest not in known:
                snapshot, _created = QuestionSnapshot.objects.get_or_create(
                    digest=digest,
                    defaults={
                        "question_id": question.question_id,
                        "question_version": question.question_version,
                        "qtype": question.qtype,
                        "text": question.text,
                        "image": str(question.image or ""),
                        "general_feedback": question.general_feedback,
                        "options": canonical,
                        "option_count": len(canonical),
                    },
                )
                known[digest] = snapshot.pk
            question.snapshot_id = known[digest]
            question.option_order = option_order
        AttemptQuestion.objects.bulk_update(batch, ["snapshot", "option_order"])


def to_copies(apps: Any, schema_editor: Any) -> None:
    AttemptQuestion = apps.get_model("exams", "AttemptQuestion")
    AttemptOption = apps.get_model("exams", "AttemptOption")
    questions = AttemptQuestion.objects.filter(snapshot__isnull=False).select_related("snapshot")
    for question in questions.iterator(chunk_size=500):
        snapshot = question.snapshot
        question.text = snapshot.text
        question.image = snapshot.image
        question.general_feedback = snapshot.general_feedback
        question.save(update_fields=["text", "image", "general_feedback"])
        AttemptOption.objects.filter(attempt_question=question).delete()
        AttemptOption.objects.bulk_create(
            AttemptOption(
                attempt_question=question,
                position=position,
                text=snapshot.options[index]["text"],
                weight=snapshot.options[index]["weight"],
                feedback=snapshot.options[index]["feedback"],
            )
            for position, index in enumerate(question.option_order)
        )
    AttemptQuestion.objects.update(snapshot=None)


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0008_question_snapshots"),
    ]

    operations = [
        migrations.RunPython(to_snapshots, to_copies),
    ]
