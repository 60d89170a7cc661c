"""The JP ledger: which passes count, in which year, with which JP."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from mooc.accounts.models import User
from mooc.core.models import SiteSettings
from mooc.reports.selectors.ledger import (
    below_target_q,
    jp_of_user,
    learner_ledger,
    users_with_jp,
)
from mooc.reports.tests.support import (
    certificate_for,
    enrol_failed,
    enrol_passed,
    external_training_for,
    report_course,
    report_learner,
)

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def test_a_pass_at_23_30_wib_on_31_december_counts_for_that_year() -> None:
    user = report_learner()
    enrol_passed(user, report_course(jp=6), at=dt.datetime(2025, 12, 31, 23, 30, tzinfo=WIB))

    assert jp_of_user(user=user, year=2025) == 6
    assert jp_of_user(user=user, year=2026) == 0


def test_a_pass_at_00_30_wib_on_1_january_counts_for_the_next_year() -> None:
    user = report_learner()
    # 17:30 UTC on 31 December: still the old year in UTC, already the new one in WIB.
    enrol_passed(user, report_course(jp=6), at=dt.datetime(2026, 1, 1, 0, 30, tzinfo=WIB))

    assert jp_of_user(user=user, year=2025) == 0
    assert jp_of_user(user=user, year=2026) == 6
    assert learner_ledger(user=user)[0].year == 2026


def test_the_jp_copied_at_enrolment_counts_not_the_course_value_today() -> None:
    user = report_learner()
    course = report_course(jp=8)
    enrol_passed(user, course, at=dt.datetime(2026, 3, 1, 10, tzinfo=WIB))
    course.jp = 2
    course.save(update_fields=["jp"])

    assert jp_of_user(user=user, year=2026) == 8


def test_failed_and_unfinished_courses_do_not_count() -> None:
    user = report_learner()
    enrol_failed(user, report_course(jp=5), at=dt.datetime(2026, 3, 1, tzinfo=WIB))

    assert jp_of_user(user=user, year=2026) == 0


def test_a_revoked_certificate_drops_its_jp_and_the_ledger_says_why() -> None:
    user = report_learner()
    kept = enrol_passed(user, report_course(jp=4), at=dt.datetime(2026, 2, 1, tzinfo=WIB))
    certificate_for(kept)
    revoked = enrol_passed(user, report_course(jp=6), at=dt.datetime(2026, 2, 2, tzinfo=WIB))
    certificate_for(revoked, revoked=True)

    assert jp_of_user(user=user, year=2026) == 4
    (year,) = learner_ledger(user=user)
    assert year.jp == 4
    dropped = next(entry for entry in year.entries if not entry.counts)
    assert dropped.revoked_reason == "Plagiarisme terbukti."


def test_a_reset_attempt_that_took_the_pass_away_takes_the_jp_away() -> None:
    user = report_learner()
    enrollment = enrol_passed(user, report_course(jp=6), at=dt.datetime(2026, 5, 1, tzinfo=WIB))
    assert jp_of_user(user=user, year=2026) == 6
    # What exams' enrollment_recompute leaves after the only passing attempt is reset.
    enrollment.status, enrollment.result, enrollment.completed_at = "active", "", None
    enrollment.save(update_fields=["status", "result", "completed_at"])

    assert jp_of_user(user=user, year=2026) == 0


def test_training_done_elsewhere_counts_in_the_year_it_ended() -> None:
    user = report_learner()
    enrol_passed(user, report_course(jp=2), at=dt.datetime(2026, 4, 1, tzinfo=WIB))
    external_training_for(user, jp=10, ends_on=dt.date(2026, 6, 30))
    external_training_for(user, jp=3, ends_on=dt.date(2025, 12, 31))

    assert jp_of_user(user=user, year=2026) == 12
    assert jp_of_user(user=user, year=2025) == 3
    assert [year.jp for year in learner_ledger(user=user)] == [12, 3]


def test_the_target_is_set_per_employee_type_and_external_learners_have_none_by_default() -> None:
    internal = report_learner()
    external = report_learner(internal=False)
    rows = {
        row.pk: row
        for row in users_with_jp(User.objects.filter(pk__in=[internal.pk, external.pk]), year=2026)
    }
    assert rows[internal.pk].jp_target == 20  # type: ignore[attr-defined]
    assert rows[external.pk].jp_target is None  # type: ignore[attr-defined]

    below = users_with_jp(User.objects.all(), year=2026).filter(below_target_q())
    assert list(below) == [internal]


def test_a_changed_target_applies_to_the_report() -> None:
    SiteSettings.objects.update_or_create(id=1, defaults={"jp_target_internal": 4})
    user = report_learner()
    enrol_passed(user, report_course(jp=4), at=dt.datetime(2026, 4, 1, tzinfo=WIB))

    assert not users_with_jp(User.objects.all(), year=2026).filter(below_target_q()).exists()


def test_the_set_based_ledger_agrees_with_the_per_learner_one() -> None:
    from mooc.reports.selectors.ledger import learners_jp_sql, ledger_query

    rina, budi, eko = report_learner(), report_learner(), report_learner(internal=False)
    enrol_passed(rina, report_course(jp=6), at=dt.datetime(2025, 12, 31, 23, 30, tzinfo=WIB))
    enrol_passed(rina, report_course(jp=4), at=dt.datetime(2026, 1, 1, 0, 30, tzinfo=WIB))
    certificate_for(
        enrol_passed(rina, report_course(jp=9), at=dt.datetime(2026, 2, 1, tzinfo=WIB)),
        revoked=True,
    )
    external_training_for(rina, jp=3, ends_on=dt.date(2026, 7, 1))
    enrol_passed(budi, report_course(jp=30), at=dt.datetime(2026, 3, 1, tzinfo=WIB))
    external_training_for(eko, jp=5, ends_on=dt.date(2026, 1, 1))
    users = User.objects.filter(pk__in=[rina.pk, budi.pk, eko.pk])

    for year in (2025, 2026):
        sql, params = learners_jp_sql(users, year=year)
        set_based = {row[0]: (row[3], row[4]) for row in ledger_query(sql, params)}
        per_learner = {u.pk: (u.jp, u.jp_target) for u in users_with_jp(users, year=year)}  # type: ignore[attr-defined]
        assert set_based == per_learner
    assert set_based[rina.pk] == (7, 20) and set_based[eko.pk] == (5, None)
