"""Question snapshots: the immutable versions of bank questions that attempts show.

A start needs, for each drawn question, the snapshot of its current version. Each
process keeps the (question, version) → snapshot map it has seen (`_KNOWN`): a snapshot
never changes and a version names one content, so the map never goes stale and a start
usually reads no snapshot at all. The first start after an edit makes the new version's
snapshot from the bank, once: concurrent starts (on any node) compute the same digest
and the unique digest leaves one row.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from mooc.exams.models import Option, Question, QuestionSnapshot


class SnapshotUnavailable(Exception):
    """A drawn question was deleted or edited while its snapshot was being made:
    the start draws again."""


@dataclass(frozen=True, slots=True)
class SnapshotRef:
    id: int
    option_count: int


# (question id, version) → snapshot; bounded so that a long-lived worker cannot grow it
# without end (cleared when full: it refills from one query per start).
_KNOWN: dict[tuple[int, int], SnapshotRef] = {}
_KNOWN_MAX = 50_000


def snapshot_cache_clear() -> None:
    """Forget the known snapshots (tests that rebuild the database between runs)."""
    _KNOWN.clear()


def _digest(content: dict[str, Any]) -> str:
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def snapshot_fields(
    *,
    question_id: int | None,
    version: int,
    qtype: str,
    text: str,
    image: str,
    general_feedback: str,
    options: list[dict[str, str]],
) -> dict[str, Any]:
    """A snapshot's fields, with its digest (also used by the data migration)."""
    content = {
        "question": question_id,
        "version": version,
        "qtype": qtype,
        "text": text,
        "image": image,
        "general_feedback": general_feedback,
        "options": options,
    }
    return {
        "question_id": question_id,
        "question_version": version,
        "digest": _digest(content),
        "qtype": qtype,
        "text": text,
        "image": image,
        "general_feedback": general_feedback,
        "options": options,
        "option_count": len(options),
    }


def _snapshot_make(question_id: int, version: int) -> SnapshotRef:
    """The snapshot of `version` of the question, made from the bank if it is new."""
    row = (
        Question.objects.filter(pk=question_id, version=version)
        .order_by()
        .values_list("qtype", "text", "image", "general_feedback")
        .first()
    )
    if row is None:
        raise SnapshotUnavailable
    options = [
        {"text": str(text), "weight": str(weight), "feedback": str(feedback)}
        for text, weight, feedback in Option.objects.filter(question_id=question_id)
        .order_by("order", "id")  # Option.Meta.ordering: the bank's order
        .values_list("text", "weight", "feedback")
    ]
    # An edit saves the options and bumps the version in one transaction: the same
    # version after reading the options means they are that version's.
    if not Question.objects.filter(pk=question_id, version=version).exists():
        raise SnapshotUnavailable
    qtype, text, image, general_feedback = row
    fields = snapshot_fields(
        question_id=question_id,
        version=version,
        qtype=qtype,
        text=str(text),
        image=str(image or ""),
        general_feedback=str(general_feedback),
        options=options,
    )
    # Another start may be making the same one: the digest is unique, one row stays.
    QuestionSnapshot.objects.bulk_create([QuestionSnapshot(**fields)], ignore_conflicts=True)
    pk = QuestionSnapshot.objects.filter(digest=fields["digest"]).values_list("pk", flat=True)
    return SnapshotRef(id=pk.get(), option_count=len(options))


def snapshots_for(versions: dict[int, int]) -> dict[int, SnapshotRef]:
    """The snapshot of each question at its version ({question id: version}), by
    question id; made where missing. Raises SnapshotUnavailable when a question has
    gone or changed meanwhile."""
    found: dict[int, SnapshotRef] = {}
    missing: dict[int, int] = {}
    for question_id, version in versions.items():
        known = _KNOWN.get((question_id, version))
        if known is None:
            missing[question_id] = version
        else:
            found[question_id] = known
    if not missing:
        return found
    rows = (
        QuestionSnapshot.objects.filter(question_id__in=list(missing))
        .order_by("id")
        .values_list("question_id", "question_version", "id", "option_count")
    )
    for question_id, version, pk, option_count in rows:
        if question_id is not None and missing.get(question_id) == version:
            # The newest wins if a migrated history holds two of one version.
            found[question_id] = SnapshotRef(id=pk, option_count=option_count)
    for question_id, version in missing.items():
        if question_id not in found:
            found[question_id] = _snapshot_make(question_id, version)
    if len(_KNOWN) > _KNOWN_MAX:
        _KNOWN.clear()
    for question_id, version in missing.items():
        _KNOWN[(question_id, version)] = found[question_id]
    return found
