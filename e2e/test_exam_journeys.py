"""The exam in the browser, beyond the first run of test_exam.py: moving between
questions, a refresh that keeps the question, the answers and the clock, a failed try
and a retake that passes; an answer chosen offline and saved when the network is back;
no answer key in anything the browser receives before grading; and the clock running
out, which submits the attempt and shows the result."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, Request, Route, expect

from e2e.pages import check_page
from mooc.accounts.models import EmployeeType, Unit, User
from mooc.catalog.models import Course, Enrollment
from mooc.exams.models import (
    Attempt,
    AttemptAnswer,
    AttemptQuestion,
    AttemptState,
    Exam,
    Option,
    Question,
)
from mooc.exams.services.attempts import attempt_start

pytestmark = pytest.mark.django_db(transaction=True)
COURSE = "etika-pelayanan-publik"
QUESTIONS = 5  # fewer than the demo's 20: the journeys stay short


# --- helpers ------------------------------------------------------------------------------------


def _exam(**fields: Any) -> Exam:
    exam = Exam.objects.get(course__slug=COURSE, is_final=True)
    for name, value in {"question_count": QUESTIONS, **fields}.items():
        setattr(exam, name, value)
    exam.save()
    return exam


def _enrolled() -> User:
    """A learner of their own (the demo content has learners of its own)."""
    user = User.objects.create_user(
        username="198203152008011002",
        password="Rahasia123",
        full_name="Dewi Lestari",
        email="dewi@example.go.id",
        employee_type=EmployeeType.INTERNAL,
        unit=Unit.objects.get(code="KW-JABAR-LPS-BDG"),
        activated_at=timezone.now(),
    )
    course = Course.objects.get(slug=COURSE)
    Enrollment.objects.create(user=user, course=course, jp=course.jp, unit=user.unit)
    return user


def _login(page: Page, user: User, next_url: str) -> None:
    page.goto(page.base_url + f"/login/?next={next_url}")  # type: ignore[attr-defined]
    page.get_by_label("NIP/Username").fill(user.username)
    page.get_by_label(re.compile(r"^Password\W*$")).fill("Rahasia123")
    page.get_by_label("Ketik kode pada gambar").fill("PASSED")
    page.get_by_role("button", name="Login").click()
    expect(page).to_have_url(re.compile(re.escape(next_url) + "$"))


def _positions(attempt: Attempt, number: int, *, right: bool) -> list[int]:
    """The options to tick on question `number` (1-based) for a right or a wrong answer,
    read from the key in the attempt's snapshots."""
    question = AttemptQuestion.objects.select_related("snapshot").get(
        attempt=attempt, position=number - 1
    )
    options = question.shown_options
    if right:
        return [o.position for o in options if o.weight > 0]
    return [next(o.position for o in options if o.weight <= 0)]


def _answer(page: Page, attempt: Attempt, number: int, *, right: bool) -> list[int]:
    expect(page.get_by_role("heading", name=f"Soal {number} dari {QUESTIONS}")).to_be_visible()
    chosen = _positions(attempt, number, right=right)
    for position in chosen:
        page.locator(f"#option-{position}").check()
    expect(page.locator("#save-state")).to_have_text("Tersimpan")
    return chosen


def _grid_item(page: Page, number: int) -> Any:
    return page.locator(f'.exam-grid [data-grid-number="{number}"]')


def _countdown_seconds(page: Page) -> int:
    text = page.locator("[data-timer-value]").inner_text().strip()
    parts = [int(part) for part in text.split(":")]
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


def _stored(attempt: Attempt, number: int) -> list[int]:
    answer = AttemptAnswer.objects.filter(
        attempt_question__attempt=attempt, attempt_question__position=number - 1
    ).first()
    return sorted(answer.option_positions) if answer is not None else []


# --- a. navigate, refresh, fail, retake, pass -----------------------------------------------------


def test_a_learner_fails_retakes_navigates_refreshes_and_passes(
    page: Page, viewport: str, demo_content: None
) -> None:
    exam = _exam(max_attempts=3)
    user = _enrolled()
    _login(page, user, f"/ujian/{exam.pk}/")
    expect(page.get_by_test_id("attempts-left")).to_have_text("3")

    # First try: one wrong answer, submitted with the rest unanswered.
    page.get_by_role("button", name="Mulai Quiz").click()
    first = Attempt.objects.get(user=user, exam=exam)
    _answer(page, first, 1, right=False)
    page.get_by_role("link", name="Submit").click()
    expect(page.get_by_test_id("unanswered")).to_contain_text(f"4 dari {QUESTIONS} soal")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_test_id("status")).to_have_text("Tidak Lulus")
    expect(page.get_by_test_id("score")).to_have_text("0")
    check_page(page, "exam-result-failed", viewport)

    # Attempts remain: the result page offers the start button again.
    page.get_by_role("button", name="Mulai Quiz").click()
    expect(page.get_by_role("heading", name=f"Soal 1 dari {QUESTIONS}")).to_be_visible()
    second = Attempt.objects.get(user=user, exam=exam, number=2)
    assert second.state == AttemptState.IN_PROGRESS

    # As if ten minutes had gone by: a reset clock would show 30:00 again.
    Attempt.objects.filter(pk=second.pk).update(
        started_at=second.started_at - dt.timedelta(minutes=10),
        deadline=second.deadline - dt.timedelta(minutes=10),
    )
    page.reload()
    chosen = {1: _answer(page, second, 1, right=True)}
    expect(_grid_item(page, 1)).to_have_class(re.compile(r"\bis-answered\b"))
    # Moving between questions loads no page: they all came with this one.
    documents: list[str] = []
    page.on("request", lambda r: documents.append(r.url) if r.resource_type == "document" else None)

    page.get_by_role("button", name="Selanjutnya").click()
    chosen[2] = _answer(page, second, 2, right=True)
    page.get_by_role("button", name="Sebelumnya").click()
    expect(page.get_by_role("heading", name=f"Soal 1 dari {QUESTIONS}")).to_be_visible()
    for position in chosen[1]:
        expect(page.locator(f"#option-{position}")).to_be_checked()

    # The grid jumps to any question and shows which are answered.
    _grid_item(page, 3).click()
    chosen[3] = _answer(page, second, 3, right=True)
    for number in (1, 2, 3):
        expect(_grid_item(page, number)).to_have_class(re.compile(r"\bis-answered\b"))
    for number in (4, 5):
        expect(_grid_item(page, number)).not_to_have_class(re.compile(r"\bis-answered\b"))
    expect(page).to_have_url(re.compile(rf"/percobaan/{second.pk}/soal/3/$"))
    check_page(page, "exam-question-moved-to", viewport)
    # Back and forward go through the questions seen, as pages would.
    page.go_back()
    expect(page.get_by_role("heading", name=f"Soal 1 dari {QUESTIONS}")).to_be_visible()
    page.go_forward()
    expect(page.get_by_role("heading", name=f"Soal 3 dari {QUESTIONS}")).to_be_visible()
    for position in chosen[3]:
        expect(page.locator(f"#option-{position}")).to_be_checked()
    assert documents == [], documents

    # Refresh: same question, same choice, the clock goes on from the server's deadline.
    before = _countdown_seconds(page)
    assert 18 * 60 < before <= 20 * 60, before
    page.reload()
    expect(page.get_by_role("heading", name=f"Soal 3 dari {QUESTIONS}")).to_be_visible()
    for position in chosen[3]:
        expect(page.locator(f"#option-{position}")).to_be_checked()
    after = _countdown_seconds(page)
    # The page counts down on its own clock: a second of rounding either way (a reset
    # clock would show 30:00 again).
    assert before - 5 <= after <= before + 1, (before, after)
    expect(_grid_item(page, 2)).to_have_class(re.compile(r"\bis-answered\b"))

    page.get_by_role("button", name="Selanjutnya").click()
    chosen[4] = _answer(page, second, 4, right=True)
    page.get_by_role("button", name="Selanjutnya").click()
    chosen[5] = _answer(page, second, 5, right=True)
    for number, positions in chosen.items():
        assert _stored(second, number) == sorted(positions)

    # The last question's main button is Submit.
    page.locator("#exam-form").get_by_role("button", name="Submit").click()
    expect(page.get_by_test_id("unanswered")).to_have_text("Semua soal sudah dijawab.")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_test_id("status")).to_have_text("Lulus")
    expect(page.get_by_test_id("score")).to_have_text("100")
    expect(page.get_by_test_id("finish")).to_be_visible()
    check_page(page, "exam-result-passed", viewport)
    second.refresh_from_db()
    assert second.state == AttemptState.GRADED and second.passed is True
    enrollment = Enrollment.objects.get(user=user, course=exam.course)
    assert enrollment.result == "passed"

    # Passed: no third try.
    page.goto(page.base_url + f"/ujian/{exam.pk}/")  # type: ignore[attr-defined]
    expect(page.get_by_text("Anda sudah lulus ujian ini.")).to_be_visible()
    expect(page.get_by_role("button", name="Mulai Quiz")).to_have_count(0)


# --- b. offline ---------------------------------------------------------------------------------


def test_an_answer_chosen_offline_is_saved_when_the_network_is_back(
    page: Page, viewport: str, demo_content: None
) -> None:
    exam = _exam()
    user = _enrolled()
    attempt = attempt_start(exam=exam, user=user)
    url = f"/ujian/percobaan/{attempt.pk}/soal/1/"
    _login(page, user, url)
    expect(page.get_by_role("heading", name=f"Soal 1 dari {QUESTIONS}")).to_be_visible()
    unsaved = page.locator("#exam-form").get_attribute("data-msg-unsaved")
    assert unsaved == "Jawaban belum tersimpan — mencoba lagi…"

    page.context.set_offline(True)
    chosen = _positions(attempt, 1, right=True)
    for position in chosen:
        page.locator(f"#option-{position}").check()
    state = page.locator("#save-state")
    expect(state).to_have_text(unsaved)
    expect(state).to_have_class(re.compile(r"\btext-danger\b"))
    expect(_grid_item(page, 1)).not_to_have_class(re.compile(r"\bis-answered\b"))
    # Moving on while the answer is unsaved keeps the learner on the question.
    page.get_by_role("button", name="Selanjutnya").click()
    expect(page.get_by_role("heading", name=f"Soal 1 dari {QUESTIONS}")).to_be_visible()
    expect(state).to_have_text(unsaved)
    check_page(page, "exam-question-offline", viewport)
    assert _stored(attempt, 1) == []

    page.context.set_offline(False)
    # The "online" event retries at once; the backoff timer would, a little later.
    expect(state).to_have_text("Tersimpan", timeout=20_000)
    expect(state).not_to_have_class(re.compile(r"\btext-danger\b"))
    expect(_grid_item(page, 1)).to_have_class(re.compile(r"\bis-answered\b"))
    assert _stored(attempt, 1) == sorted(chosen)

    # Nothing lost: a reload shows it from the server, and it is graded.
    page.reload()
    for position in chosen:
        expect(page.locator(f"#option-{position}")).to_be_checked()


def test_a_choice_made_before_the_script_has_loaded_is_saved(
    page: Page, viewport: str, demo_content: None
) -> None:
    """On a slow connection a learner may tap an answer before exam.js runs."""
    exam = _exam()
    user = _enrolled()
    attempt = attempt_start(exam=exam, user=user)
    _login(page, user, f"/ujian/{exam.pk}/")
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)  # answered below, once the learner has chosen

    page.route("**/js/exam.js*", hold)

    page.goto(
        page.base_url + f"/ujian/percobaan/{attempt.pk}/soal/1/",  # type: ignore[attr-defined]
        wait_until="commit",
    )
    chosen = _positions(attempt, 1, right=True)
    for position in chosen:
        page.locator(f"#option-{position}").check()
    expect(page.locator("#save-state")).to_have_text("")
    assert len(held) == 1 and _stored(attempt, 1) == []

    held[0].continue_()
    expect(page.locator("#save-state")).to_have_text("Tersimpan")
    expect(_grid_item(page, 1)).to_have_class(re.compile(r"\bis-answered\b"))
    assert _stored(attempt, 1) == sorted(chosen)


# --- c. no answer key before grading ------------------------------------------------------------


def _mark_the_key(course: Course) -> None:
    """Unique feedback texts on every option and question of the bank, so a leak of
    feedback (or of anything copied with it) is unmistakable in a response."""
    for option in Option.objects.filter(question__course=course):
        option.feedback = f"<p>UMPANBALIK{option.pk}X</p>"
        option.save(update_fields=["feedback"])
    for question in Question.objects.filter(course=course):
        question.general_feedback = f"<p>PEMBAHASAN{question.pk}X</p>"
        question.save(update_fields=["general_feedback"])


# Field names and markers that would give the key away, in any response.
KEY_MARKERS = re.compile(
    r"weight|bobot|data-correct|is[-_]correct|is[-_]key|jawaban benar|correct answer|"
    r"general_feedback|feedback",
    re.IGNORECASE,
)
# What the JSON endpoints may answer with, and nothing more.
JSON_KEYS = {
    "save": {"ok", "position", "options", "client_seq", "applied", "answered", "save_token"},
    "status": {"state", "remaining_seconds", "deadline", "answered", "result_url", "save_token"},
}


def test_no_answer_key_reaches_the_browser_before_grading(
    page: Page, viewport: str, demo_content: None
) -> None:
    exam = _exam(review_mode="always")
    _mark_the_key(exam.course)
    user = _enrolled()
    _login(page, user, f"/ujian/{exam.pk}/")

    bodies: list[tuple[str, str, str]] = []  # (url, content type, text)
    save_tokens: list[str] = []  # the X-Save-Token header of each save

    def record(request: Request) -> None:
        response = request.response()
        if response is None or 300 <= response.status < 400:
            return  # redirects have no body
        text = response.body().decode("utf-8", errors="replace")
        bodies.append((request.url, response.headers.get("content-type", ""), text))
        if "/jawab/" in request.url:
            save_tokens.append(request.headers.get("x-save-token", ""))

    page.on("requestfinished", record)
    page.get_by_role("button", name="Mulai Quiz").click()
    attempt = Attempt.objects.get(user=user, exam=exam)
    shown = list(AttemptQuestion.objects.filter(attempt=attempt).select_related("snapshot"))
    copies = [option for question in shown for option in question.shown_options]
    secrets = {o.feedback for o in copies} | {question.general_feedback for question in shown}
    secrets = {re.sub(r"</?p>", "", s) for s in secrets}
    # The check means something only if the attempt carries feedback to leak.
    assert len(secrets) >= len(copies) > 0 and "" not in secrets

    for number in range(1, QUESTIONS + 1):
        _answer(page, attempt, number, right=number % 2 == 1)
        if number < QUESTIONS:
            page.get_by_role("button", name="Selanjutnya").click()
    page.reload()  # the status endpoint answers on focus and every minute; ask it now too
    status = page.evaluate(
        "() => fetch(document.getElementById('exam-timer').dataset.statusUrl,"
        " {headers: {Accept: 'application/json'}}).then((r) => r.status)"
    )
    assert status == 200
    page.locator("#exam-form").get_by_role("button", name="Submit").click()
    expect(page.get_by_test_id("unanswered")).to_be_visible()  # asked in place (exam.js)
    # The submit page itself, as a browser without JavaScript loads it, is scanned too.
    submit_url = f"/ujian/percobaan/{attempt.pk}/kirim/"
    submit_page = page.evaluate(f"() => fetch('{submit_url}').then((r) => r.text())")
    assert "Kirim jawaban Anda?" in submit_page
    before_grading = [*bodies, (submit_url, "text/html", submit_page)]

    kinds = {"html": 0, "json": 0, "js": 0}
    for url, content_type, text in before_grading:
        for secret in secrets:
            assert secret not in text, f"feedback {secret} leaked in {url}"
        if "text/html" in content_type:
            kinds["html"] += 1
            assert not KEY_MARKERS.search(text), (url, KEY_MARKERS.search(text))
        elif "json" in content_type:
            kinds["json"] += 1
            endpoint = "save" if "/jawab/" in url else "status"
            assert set(json.loads(text)) <= JSON_KEYS[endpoint], (url, text)
        elif "javascript" in content_type:
            kinds["js"] += 1
            assert not re.search(r"weight|data-correct|feedback", text), url
    # The landing, question and submit pages; the question page carries every question.
    assert kinds["html"] >= 3 and kinds["json"] >= QUESTIONS and kinds["js"] >= 1
    pages = " ".join(text for _url, kind, text in before_grading if "text/html" in kind)
    texts = AttemptQuestion.objects.filter(attempt=attempt).values_list("snapshot__text", flat=True)
    assert all(re.sub(r"</?p>", "", text) in pages for text in texts)
    # Every save carried the page's save token (the path that reads no session).
    assert len(save_tokens) >= QUESTIONS and all(save_tokens), save_tokens

    # After grading the review shows the key: the same scan finds it there, so the
    # scan above was able to see a leak.
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_test_id("status")).to_be_visible()
    page.wait_for_load_state("networkidle")
    result = [text for url, _type, text in bodies[len(before_grading) :] if "/hasil/" in url]
    assert result and any(secret in result[-1] for secret in secrets)
    assert KEY_MARKERS.search(result[-1])


# --- d. the clock runs out ----------------------------------------------------------------------


def test_when_time_runs_out_the_attempt_is_submitted_and_the_result_shown(
    page: Page, viewport: str, demo_content: None
) -> None:
    exam = _exam()
    user = _enrolled()
    _login(page, user, f"/ujian/{exam.pk}/")
    attempt = attempt_start(exam=exam, user=user)
    deadline = timezone.now() + dt.timedelta(seconds=8)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=deadline)

    page.goto(page.base_url + f"/ujian/percobaan/{attempt.pk}/soal/1/")  # type: ignore[attr-defined]
    _answer(page, attempt, 1, right=True)
    assert _countdown_seconds(page) <= 8

    expect(page.locator("#exam-timer-announce")).to_have_text(
        "Waktu habis. Jawaban yang tersimpan sedang dikirim.", timeout=15_000
    )
    expect(page).to_have_url(re.compile(rf"/ujian/percobaan/{attempt.pk}/hasil/$"), timeout=20_000)
    expect(page.get_by_test_id("status")).to_have_text("Tidak Lulus")
    expect(page.get_by_test_id("score")).to_have_text(str(100 // QUESTIONS))
    check_page(page, "exam-result-time-up", viewport)

    attempt.refresh_from_db()
    assert attempt.state == AttemptState.GRADED
    # Time running out counts as submitting at the deadline, with what was saved.
    assert attempt.submitted_at == deadline
    assert attempt.score is not None and int(attempt.score) == 100 // QUESTIONS
