"""Builders shared by the question bank tests (plain functions, no tests here)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone

from mooc.accounts.models import User
from mooc.accounts.roles import ROLE_INSTRUCTOR
from mooc.catalog.models import Category, Course
from mooc.exams.formats import ParsedOption, ParsedQuestion, ParseIssue, ParseResult
from mooc.exams.models import Option, Question, QuestionCategory
from mooc.exams.selectors.banks import question_bank_list
from mooc.exams.services.banks import question_content

QUESTION_PERMISSIONS = (
    "catalog.view_course",
    "exams.view_question",
    "exams.add_question",
    "exams.change_question",
    "exams.delete_question",
    "exams.view_questioncategory",
    "exams.add_questioncategory",
    "exams.change_questioncategory",
)

_serial = itertools.count(1)


def make_course(title: str = "Etika Pelayanan Publik", **fields: Any) -> Course:
    category, _ = Category.objects.get_or_create(
        name="Pelayanan Publik", defaults={"slug": "pelayanan-publik"}
    )
    fields.setdefault("slug", f"kursus-{next(_serial)}")
    fields.setdefault("summary", f"Ringkasan {title}")
    fields.setdefault("jp", 10)
    return Course.objects.create(title=title, category=category, **fields)


def make_superuser(username: str = "admin") -> User:
    return User.objects.create_superuser(
        username=username, password="x", email=f"{username}@example.org"
    )


def make_instructor(username: str, *courses: Course) -> User:
    """A staff account in the Instruktur group holding the question bank permissions,
    on the staff of `courses`."""
    group, _ = Group.objects.get_or_create(name=ROLE_INSTRUCTOR)
    for name in QUESTION_PERMISSIONS:
        app_label, codename = name.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    user = User.objects.create_user(
        username=username,
        password="x",
        email=f"{username}@example.org",
        is_staff=True,
        activated_at=timezone.now(),
    )
    user.groups.add(group)
    for course in courses:
        course.staff.add(user)
    return user


def logged_in(client: Client, user: User) -> Client:
    """Signed in, with the English interface (messages are asserted in English)."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def option(text: str, weight: int | str = 0, feedback: str = "") -> ParsedOption:
    return ParsedOption(text=text, weight=Decimal(weight), feedback=feedback)


def single(
    text: str = "<p>Ibu kota Indonesia?</p>",
    *,
    line: int = 1,
    title: str = "",
    category: str = "",
    options: Iterable[ParsedOption] | None = None,
    general_feedback: str = "",
) -> ParsedQuestion:
    return ParsedQuestion(
        line=line,
        qtype="single",
        text=text,
        options=tuple(
            options
            if options is not None
            else (option("Jakarta", 100, "Benar."), option("Bandung"), option("Surabaya"))
        ),
        title=title,
        category=category,
        general_feedback=general_feedback,
    )


def multiple(
    text: str = "<p>Nilai dasar ASN?</p>", *, line: int = 1, title: str = ""
) -> ParsedQuestion:
    return ParsedQuestion(
        line=line,
        qtype="multiple",
        text=text,
        options=(
            option("Akuntabel", 50),
            option("Kompeten", 50),
            option("Malas", -100, "Bukan nilai dasar."),
        ),
        title=title,
    )


def truefalse(
    text: str = "<p>ASN wajib netral.</p>", *, line: int = 1, title: str = ""
) -> ParsedQuestion:
    return ParsedQuestion(
        line=line,
        qtype="truefalse",
        text=text,
        options=(option("True", 100), option("False", 0)),  # as parse_gift names them in English
        title=title,
    )


def skipped(line: int, name: str, reason: str = "Essay questions are not supported.") -> ParseIssue:
    return ParseIssue(line=line, kind="skipped", name=name, reason=reason)


def failed(line: int, name: str, reason: str = "No correct answer.") -> ParseIssue:
    return ParseIssue(line=line, kind="failed", name=name, reason=reason)


def result(*questions: ParsedQuestion, issues: Iterable[ParseIssue] = ()) -> ParseResult:
    return ParseResult(questions=list(questions), issues=list(issues))


def bank(course: Course) -> list[dict[str, Any]]:
    """The course's bank as plain data, for comparing banks."""
    return [question_content(question).as_dict() for question in question_bank_list(course=course)]


def make_question(
    course: Course,
    key: str = "q1",
    *,
    qtype: str = "single",
    category: str = "",
    weights: Iterable[int] = (100, 0),
) -> Question:
    cat = (
        QuestionCategory.objects.get_or_create(course=course, name=category)[0]
        if category
        else None
    )
    question = Question.objects.create(
        course=course, key=key, qtype=qtype, text=f"<p>Soal {key}</p>", category=cat
    )
    for order, weight in enumerate(weights, start=1):
        Option.objects.create(
            question=question, text=f"Pilihan {order}", weight=Decimal(weight), order=order
        )
    return question
