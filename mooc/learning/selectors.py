"""Reads about learners' progress."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count

from mooc.accounts.models import User
from mooc.learning.models import Material, MaterialProgress


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def progress_by_course(*, user: User, course_ids: Iterable[int]) -> dict[int, Progress]:
    """Completed and total current materials per course, in two queries whatever the count."""
    ids = list(course_ids)
    totals = dict(
        Material.objects.current()
        .filter(section__course_id__in=ids)
        .values("section__course_id")
        .annotate(n=Count("id"))
        .values_list("section__course_id", "n")
    )
    done = dict(
        MaterialProgress.objects.filter(
            user=user,
            course_id__in=ids,
            material__is_retired=False,
            material__section__is_retired=False,
        )
        .values("course_id")
        .annotate(n=Count("id"))
        .values_list("course_id", "n")
    )
    return {cid: Progress(done.get(cid, 0), totals.get(cid, 0)) for cid in ids}
