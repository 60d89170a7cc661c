"""Exam settings in the audit log: what an exam asks of learners (how many questions,
from which categories, the time, the passing grade, the attempts, the review) decides
who passes, so every change to it is kept with its before and after (SPEC: "every admin
action on … exam settings … is kept in an audit log")."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mooc.core.services import audit_log_record
from mooc.exams.models import Exam

# The exam's own fields that the log keeps; dates as ISO text, decimals as text.
AUDITED_FIELDS = (
    "title",
    "is_final",
    "section_id",
    "question_count",
    "shuffle_questions",
    "shuffle_options",
    "time_limit_minutes",
    "passing_grade",
    "max_attempts",
    "wait_minutes_between_attempts",
    "require_materials_completed",
    "allow_retake_after_pass",
    "review_mode",
    "available_from",
    "available_until",
)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def exam_settings_snapshot(exam: Exam) -> dict[str, Any]:
    """The exam's settings as the audit log keeps them (two queries: categories, quotas)."""
    snapshot = {name: _plain(getattr(exam, name)) for name in AUDITED_FIELDS}
    snapshot["categories"] = sorted(exam.categories.values_list("name", flat=True))
    snapshot["quotas"] = dict(
        sorted(exam.quotas.values_list("category__name", "count"))  # type: ignore[arg-type]
    )
    return snapshot


def exam_settings_record(
    *,
    exam: Exam,
    actor: Any,
    before: dict[str, Any] | None,
    request: HttpRequest | None = None,
) -> bool:
    """Record a created exam (`before` None) or the settings that changed; nothing when
    nothing did. Returns whether an entry was written."""
    # Read back as stored ("75" typed is 75.00 in the database, as `before` has it).
    after = exam_settings_snapshot(Exam.objects.get(pk=exam.pk))
    if before is None:
        audit_log_record(
            actor=actor, action="exam.created", target=exam, after=after, request=request
        )
        return True
    changed = sorted(name for name in after if after[name] != before.get(name))
    if not changed:
        return False
    audit_log_record(
        actor=actor,
        action="exam.settings_changed",
        target=exam,
        before={name: before.get(name) for name in changed},
        after={name: after[name] for name in changed},
        request=request,
    )
    return True


def exam_deleted_record(*, exam: Exam, actor: Any, request: HttpRequest | None = None) -> None:
    audit_log_record(
        actor=actor,
        action="exam.deleted",
        target=exam,
        before=exam_settings_snapshot(exam),
        request=request,
    )
