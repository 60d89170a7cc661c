"""Bulk enrolment: a unit or a pasted list of NIPs, a dry-run report, then one
transaction with one audit entry; set-based queries however long the list."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from mooc.accounts.models import EmployeeType, User
from mooc.accounts.tests.factories import (
    AdminFactory,
    ContentAdminFactory,
    InstructorFactory,
    UserFactory,
    unit_tree,
)
from mooc.accounts.tests.helpers import logged_in
from mooc.catalog.enrolment_bulk import (
    enrolment_bulk_apply,
    enrolment_bulk_preview,
    usernames_parse,
)
from mooc.catalog.models import Enrollment
from mooc.catalog.tests.factories import INSTRUCTOR_PERMISSIONS, CourseFactory, EnrollmentFactory
from mooc.core.models import AuditLog
from mooc.core.selectors import site_settings_get

pytestmark = pytest.mark.django_db

NIP_A = "198609262015051001"
NIP_B = "199001012019032002"
NIP_C = "198512312010121003"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


# --- Reading the pasted list ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"{NIP_A}\n{NIP_B}\r\n{NIP_C}", [NIP_A, NIP_B, NIP_C]),
        (f"{NIP_A}, {NIP_B};{NIP_C}", [NIP_A, NIP_B, NIP_C]),
        (f"{NIP_A} {NIP_B}\t{NIP_C}", [NIP_A, NIP_B, NIP_C]),
        ("19860926 201505 1 001\n1990.0101.2019.03.2.002", [NIP_A, NIP_B]),
        # Space-separated NIPs that are themselves typed with spaces, and a username.
        (
            "19860926 201505 1 001 19900101 201903 2 002 budi.santoso",
            [NIP_A, NIP_B, "budi.santoso"],
        ),
        (f"{NIP_A}\n{NIP_A}\nBudi\nbudi\n\n , ", [NIP_A, "Budi"]),
        ("", []),
    ],
)
def test_pasted_lists_are_read_as_people_type_them(text: str, expected: list[str]) -> None:
    assert usernames_parse(text) == expected


def test_short_numbers_next_to_each_other_stay_separate_usernames() -> None:
    assert usernames_parse("12345 67890") == ["12345", "67890"]


# --- The dry run and the enrolment ------------------------------------------------------------


def test_the_dry_run_sorts_people_and_writes_nothing() -> None:
    course = CourseFactory.create(is_published=False)
    new = UserFactory.create(username=NIP_A)
    already = UserFactory.create(username=NIP_B)
    EnrollmentFactory.create(user=already, course=course)
    inactive = UserFactory.create(username=NIP_C, is_active=False)

    report = enrolment_bulk_preview(
        course=course, usernames=[NIP_A, NIP_B, NIP_C, "199912312020121999", "Nobody"]
    )

    assert [learner.id for learner in report.to_enrol] == [new.pk]
    assert [learner.id for learner in report.already_enrolled] == [already.pk]
    assert [refused.learner.id for refused in report.not_allowed] == [inactive.pk]
    assert str(report.not_allowed[0].reason) == "account deactivated"
    assert report.not_found == ["199912312020121999", "Nobody"]
    assert Enrollment.objects.filter(course=course).count() == 1


def test_usernames_are_matched_whatever_their_letter_case() -> None:
    course = CourseFactory.create(is_published=False)
    external = UserFactory.create(username="Budi.Santoso", employee_type=EmployeeType.EXTERNAL)

    report = enrolment_bulk_preview(course=course, usernames=["budi.santoso"])

    assert [learner.id for learner in report.to_enrol] == [external.pk]


def test_external_accounts_are_not_allowed_in_an_internal_only_course() -> None:
    course = CourseFactory.create(internal_only=True, is_published=False)
    UserFactory.create(username="budi.santoso", employee_type=EmployeeType.EXTERNAL)

    report = enrolment_bulk_preview(course=course, usernames=["budi.santoso"])

    assert report.to_enrol == []
    assert "internal employees only" in str(report.not_allowed[0].reason)


def test_applying_enrols_with_the_jp_and_unit_of_the_moment_and_one_audit_entry() -> None:
    _, kanwil, _ = unit_tree()
    course = CourseFactory.create(jp=24, is_published=False)
    actor = ContentAdminFactory.create()
    learner = UserFactory.create(username=NIP_A, unit=kanwil)
    EnrollmentFactory.create(user=UserFactory.create(username=NIP_B), course=course)

    report = enrolment_bulk_apply(actor=actor, course=course, usernames=[NIP_A, NIP_B, "Nobody"])

    enrolment = Enrollment.objects.get(course=course, user=learner)
    assert (enrolment.jp, enrolment.unit_id, enrolment.status) == (24, kanwil.pk, "active")
    assert report.counts() == {
        "enrolled": 1,
        "already_enrolled": 1,
        "not_found": 1,
        "not_allowed": 0,
    }
    entry = AuditLog.objects.get(action="course.learners_enrolled_in_bulk")
    assert entry.actor == actor
    assert entry.target_id == str(course.pk)
    assert entry.after == {
        "enrolled": 1,
        "already_enrolled": 1,
        "not_found": 1,
        "not_allowed": 0,
        "source": "list",
        "names": 3,
        "notify": True,
        "notice_messages": 1,
    }


def test_applying_twice_enrols_nobody_twice() -> None:
    course = CourseFactory.create(is_published=False)
    actor = ContentAdminFactory.create()
    UserFactory.create(username=NIP_A)

    enrolment_bulk_apply(actor=actor, course=course, usernames=[NIP_A])
    again = enrolment_bulk_apply(actor=actor, course=course, usernames=[NIP_A])

    assert Enrollment.objects.filter(course=course).count() == 1
    assert again.counts()["enrolled"] == 0
    assert again.counts()["already_enrolled"] == 1


def test_an_admin_enrols_even_when_the_window_is_closed_and_the_course_has_ended() -> None:
    now = timezone.now()
    course = CourseFactory.create(
        enroll_opens_at=now - dt.timedelta(days=30),
        enroll_closes_at=now - dt.timedelta(days=20),
        starts_at=now - dt.timedelta(days=30),
        ends_at=now - dt.timedelta(days=1),
        is_published=False,
    )
    UserFactory.create(username=NIP_A)

    enrolment_bulk_apply(actor=ContentAdminFactory.create(), course=course, usernames=[NIP_A])

    assert Enrollment.objects.filter(course=course, user__username=NIP_A).exists()


def test_a_unit_is_enrolled_with_or_without_its_sub_units() -> None:
    root, kanwil, upt = unit_tree()
    course = CourseFactory.create(is_published=False)
    in_kanwil = UserFactory.create(unit=kanwil)
    in_upt = UserFactory.create(unit=upt)
    UserFactory.create(unit=root)

    only_kanwil = enrolment_bulk_preview(course=course, unit=kanwil, include_subunits=False)
    with_upt = enrolment_bulk_preview(course=course, unit=kanwil, include_subunits=True)

    assert {learner.id for learner in only_kanwil.to_enrol} == {in_kanwil.pk}
    assert {learner.id for learner in with_upt.to_enrol} == {in_kanwil.pk, in_upt.pk}


def test_a_failure_while_applying_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    course = CourseFactory.create(is_published=False)
    UserFactory.create(username=NIP_A)

    def broken(**kwargs: object) -> None:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr("mooc.catalog.enrolment_bulk.audit_log_record", broken)
    with pytest.raises(RuntimeError):
        enrolment_bulk_apply(actor=ContentAdminFactory.create(), course=course, usernames=[NIP_A])

    assert not Enrollment.objects.filter(course=course).exists()


def test_thousands_of_nips_take_a_handful_of_queries() -> None:
    course = CourseFactory.create(is_published=False)
    actor = ContentAdminFactory.create()
    names = [f"19900101201903{i:04d}" for i in range(2500)]
    User.objects.bulk_create(
        User(username=name, full_name=f"Pegawai {i}", email=f"p{i}@example.go.id")
        for i, name in enumerate(names[:2000])
    )

    site_settings_get()  # the notice's branding, read once and cached like every page's

    with CaptureQueriesContext(connection) as queries:
        report = enrolment_bulk_apply(actor=actor, course=course, usernames=names)

    inserts = [
        q
        for q in queries
        if q["sql"].startswith(('INSERT OR IGNORE INTO "catalog', 'INSERT INTO "catalog'))
    ]
    others = [q for q in queries if q not in inserts]
    # Three lookups of a thousand names, the count before and after, the audit entry and
    # its content type, the savepoint and its release; the inserts go in batches (of a
    # thousand on PostgreSQL; SQLite's parameter limit makes them smaller). The notice
    # needs no query of its own: the lookups carried the addresses.
    assert len(others) <= 9
    assert len(inserts) <= 2000 // 90 + 1
    assert report.counts()["enrolled"] == 2000
    assert report.counts()["not_found"] == 500
    assert Enrollment.objects.filter(course=course).count() == 2000


# --- The admin page ---------------------------------------------------------------------------


def enrol_url(course_id: int) -> str:
    return reverse("admin:catalog_course_enrol", args=[course_id])


def test_the_admin_checks_first_then_enrols_on_confirmation(client: Client) -> None:
    course = CourseFactory.create(is_published=False)
    UserFactory.create(username=NIP_A)
    UserFactory.create(username=NIP_B)
    admin = logged_in(client, ContentAdminFactory.create())
    pasted = "19860926 201505 1 001\n199001012019032002\n199912312020121999"

    check = admin.post(enrol_url(course.pk), {"usernames": pasted})

    assert check.status_code == 200
    assert check.context["counts"] == {
        "enrolled": 2,
        "already_enrolled": 0,
        "not_found": 1,
        "not_allowed": 0,
    }
    page = check.content.decode()
    assert "199912312020121999" in page
    assert "Confirm enrolment" in page
    assert not Enrollment.objects.exists()

    done = admin.post(enrol_url(course.pk), {"usernames": pasted, "confirm": "1"})

    assert done.status_code == 302
    assert done["Location"] == reverse("admin:catalog_course_change", args=[course.pk])
    assert set(Enrollment.objects.values_list("user__username", flat=True)) == {NIP_A, NIP_B}
    assert AuditLog.objects.filter(action="course.learners_enrolled_in_bulk").count() == 1
    message = [str(m) for m in done.wsgi_request._messages]  # type: ignore[attr-defined]
    assert message == ["Enrolled: 2. Already enrolled: 0. Not found: 1. Not allowed: 0."]


def test_the_admin_enrols_a_unit_with_its_sub_units(client: Client) -> None:
    _, kanwil, upt = unit_tree()
    course = CourseFactory.create(is_published=False)
    UserFactory.create(unit=kanwil)
    UserFactory.create(unit=upt)
    admin = logged_in(client, ContentAdminFactory.create())

    admin.post(enrol_url(course.pk), {"unit": kanwil.pk, "include_subunits": "on", "confirm": "1"})

    assert Enrollment.objects.filter(course=course).count() == 2


def test_the_admin_asks_for_a_unit_or_a_list_but_not_both(client: Client) -> None:
    _, kanwil, _ = unit_tree()
    course = CourseFactory.create(is_published=False)
    admin = logged_in(client, ContentAdminFactory.create())

    neither = admin.post(enrol_url(course.pk), {"usernames": "  "})
    both = admin.post(enrol_url(course.pk), {"unit": kanwil.pk, "usernames": NIP_A})

    for response in (neither, both):
        assert response.status_code == 200
        assert "Choose a unit or paste a list of NIPs/usernames, not both." in (
            response.content.decode()
        )
    assert not Enrollment.objects.exists()


def test_the_course_page_offers_the_enrol_button(client: Client) -> None:
    course = CourseFactory.create(is_published=False)
    admin = logged_in(client, ContentAdminFactory.create())

    page = admin.get(reverse("admin:catalog_course_change", args=[course.pk])).content.decode()

    assert enrol_url(course.pk) in page


def test_an_instructor_enrols_into_their_own_course_only(client: Client) -> None:
    own = CourseFactory.create(title="Kursus Sendiri", is_published=False)
    other = CourseFactory.create(title="Kursus Lain", is_published=False)
    UserFactory.create(username=NIP_A)
    instructor = logged_in(
        client,
        InstructorFactory.create(
            username="instruktur", courses=[own], permissions=INSTRUCTOR_PERMISSIONS
        ),
    )

    assert (
        instructor.post(enrol_url(own.pk), {"usernames": NIP_A, "confirm": "1"}).status_code == 302
    )
    refused = instructor.post(enrol_url(other.pk), {"usernames": NIP_A, "confirm": "1"})

    assert refused.status_code == 404
    assert list(Enrollment.objects.values_list("course_id", flat=True)) == [own.pk]


def test_without_the_add_enrolment_permission_the_page_is_forbidden(client: Client) -> None:
    course = CourseFactory.create(is_published=False)
    user = InstructorFactory.create(
        username="instruktur", courses=[course], permissions=INSTRUCTOR_PERMISSIONS
    )
    user.groups.get().permissions.remove(
        *user.groups.get().permissions.filter(codename="add_enrollment")
    )
    instructor = logged_in(client, User.objects.get(pk=user.pk))

    assert instructor.get(enrol_url(course.pk)).status_code == 403
    page = instructor.get(reverse("admin:catalog_course_change", args=[course.pk]))
    assert enrol_url(course.pk) not in page.content.decode()


def test_admins_search_units_while_content_admins_pick_from_the_tree(client: Client) -> None:
    _, kanwil, _ = unit_tree()
    course = CourseFactory.create(is_published=False)

    as_admin = logged_in(client, AdminFactory.create())
    page = as_admin.get(enrol_url(course.pk)).content.decode()
    found = as_admin.get(
        reverse("admin:autocomplete"),
        {"app_label": "catalog", "model_name": "enrollment", "field_name": "unit", "term": "jawa"},
    ).json()
    assert "admin-autocomplete" in page
    assert [item["text"] for item in found["results"]] == [kanwil.name]

    as_content_admin = logged_in(Client(), ContentAdminFactory.create())
    page = as_content_admin.get(enrol_url(course.pk)).content.decode()
    assert "admin-autocomplete" not in page
    assert "— — UPT Bandung" in page


def confirmation_form(page: str) -> dict[str, str]:
    """The fields of the confirmation form, as a browser would send them."""
    start = page.index('<form method="post">')
    form = page[start : page.index("</form>", start)]
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    data.update(re.findall(r'<textarea name="([^"]+)" hidden>(.*?)</textarea>', form, re.S))
    data["confirm"] = "1"
    return data


def test_confirming_the_checked_unit_enrols_what_was_shown(client: Client) -> None:
    _, kanwil, upt = unit_tree()
    course = CourseFactory.create(is_published=False)
    UserFactory.create(unit=kanwil)
    UserFactory.create(unit=upt)
    admin = logged_in(client, ContentAdminFactory.create())

    check = admin.post(enrol_url(course.pk), {"unit": kanwil.pk, "include_subunits": "on"})
    assert check.context["counts"]["enrolled"] == 2
    assert not Enrollment.objects.exists()

    admin.post(enrol_url(course.pk), confirmation_form(check.content.decode()))

    assert Enrollment.objects.filter(course=course).count() == 2


def test_confirming_the_checked_list_enrols_what_was_shown(client: Client) -> None:
    course = CourseFactory.create(is_published=False)
    UserFactory.create(username=NIP_A)
    UserFactory.create(username=NIP_B)
    admin = logged_in(client, ContentAdminFactory.create())

    check = admin.post(enrol_url(course.pk), {"usernames": f"19860926 201505 1 001\n{NIP_B}"})
    admin.post(enrol_url(course.pk), confirmation_form(check.content.decode()))

    assert set(Enrollment.objects.values_list("user__username", flat=True)) == {NIP_A, NIP_B}


# --- The notice -------------------------------------------------------------------------------


def test_a_bulk_enrolment_sends_one_notice_for_the_batch_naming_the_course(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core import mail

    from mooc.core.emails import NOTICE_BCC_GROUP

    root, kanwil, _ = unit_tree()
    course = CourseFactory.create(title="Literasi Digital ASN", jp=12, is_published=False)
    learners = UserFactory.create_batch(NOTICE_BCC_GROUP + 3, unit=kanwil)
    already = learners[0]
    EnrollmentFactory.create(user=already, course=course)
    UserFactory.create(unit=kanwil, email="")  # enrolled, but has no address to mail
    elsewhere = UserFactory.create(unit=root)

    with django_capture_on_commit_callbacks(execute=True):
        enrolment_bulk_apply(actor=ContentAdminFactory.create(), course=course, unit=kanwil)

    # One notice for the batch, in blind-copy groups: two messages for 53 people.
    assert len(mail.outbox) == 2
    assert all(message.to == [] for message in mail.outbox)
    recipients = [address for message in mail.outbox for address in message.bcc]
    assert sorted(recipients) == sorted(u.email for u in learners[1:])
    assert already.email not in recipients and elsewhere.email not in recipients
    message = mail.outbox[0]
    # In Indonesian although the admin's page was in English (this module's fixture).
    assert message.subject == "Anda terdaftar di Literasi Digital ASN"
    assert "Literasi Digital ASN (12 JP)" in message.body
    assert course.get_absolute_url() in message.body
    entry = AuditLog.objects.get(action="course.learners_enrolled_in_bulk")
    assert entry.after is not None and entry.after["notice_messages"] == 2


def test_a_bulk_enrolment_that_enrols_nobody_mails_nobody(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core import mail

    course = CourseFactory.create(is_published=False)
    EnrollmentFactory.create(user=UserFactory.create(username=NIP_A), course=course)

    with django_capture_on_commit_callbacks(execute=True):
        enrolment_bulk_apply(
            actor=ContentAdminFactory.create(), course=course, usernames=[NIP_A, "Nobody"]
        )

    assert mail.outbox == []


def test_the_check_step_says_each_learner_gets_one_mail_and_offers_to_turn_it_off(
    client: Client,
) -> None:
    course = CourseFactory.create(title="Literasi Digital ASN", is_published=False)
    UserFactory.create(username=NIP_A)
    admin = logged_in(client, ContentAdminFactory.create())

    page = admin.post(enrol_url(course.pk), {"usernames": NIP_A}).content.decode()

    assert (
        "Each learner enrolled will get one e-mail saying they are enrolled in "
        "Literasi Digital ASN, with a link to the course." in page
    )
    checkbox = re.search(r'<input type="checkbox" name="notify"[^>]*>', page)
    assert checkbox is not None and "checked" in checkbox.group(0)
    assert "Send notification e-mail" in page
    # Only on the confirmation step: the first form does not offer it.
    first = admin.get(enrol_url(course.pk)).content.decode()
    assert 'name="notify"' not in first


@pytest.mark.parametrize(("posted", "mails"), [({"notify": "on"}, 1), ({}, 0)])
def test_confirming_mails_the_learners_only_with_the_box_ticked(
    client: Client, django_capture_on_commit_callbacks: Any, posted: dict[str, str], mails: int
) -> None:
    from django.core import mail

    course = CourseFactory.create(title="Literasi Digital ASN", is_published=False)
    learner = UserFactory.create(username=NIP_A, email="a@example.go.id")
    admin = logged_in(client, ContentAdminFactory.create())

    with django_capture_on_commit_callbacks(execute=True):
        done = admin.post(enrol_url(course.pk), {"usernames": NIP_A, "confirm": "1", **posted})

    assert done.status_code == 302
    assert Enrollment.objects.filter(course=course, user=learner).exists()
    assert len(mail.outbox) == mails
    if mails:
        assert mail.outbox[0].bcc == ["a@example.go.id"]
        assert "Literasi Digital ASN" in mail.outbox[0].subject
    entry = AuditLog.objects.get(action="course.learners_enrolled_in_bulk")
    assert entry.after is not None
    assert entry.after["notify"] is bool(mails) and entry.after["notice_messages"] == mails
