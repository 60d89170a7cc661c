"""Demo data for the reports: learners in every demo unit, passes and failures spread
over this year's months and last year, graded attempts, learning this month, training
done elsewhere, and a report viewer for one regional office. Deterministic (a seeded
random), idempotent (skipped once its learners exist), and quick (bulk inserts).

The report viewer's login is public by design, like the other demo logins:
`pelihat.laporan` / `LaporanDemo2026`, who sees Kantor Wilayah Jawa Barat only.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from mooc.accounts.models import EmployeeType, Unit, User
from mooc.catalog.models import Course, Enrollment, EnrollmentResult, EnrollmentStatus
from mooc.core.timezones import institution_tz
from mooc.exams.models import Attempt, AttemptState, Exam
from mooc.learning.models import Material, MaterialProgress
from mooc.reports.models import ReportScope
from mooc.reports.services.external_training import ExternalTrainingInput, external_training_add

VIEWER_USERNAME = "pelihat.laporan"
VIEWER_PASSWORD = "LaporanDemo2026"  # noqa: S105 - public demo password
DEMO_LEARNER = "198609262015051001"
LEARNERS_PER_UNIT = 6
FIRST_NAMES = (
    "Ahmad", "Siti", "Budi", "Dewi", "Agus", "Rina", "Hendra", "Wulan", "Yusuf", "Maya",
    "Rudi", "Intan", "Fajar", "Lestari", "Bayu", "Nurul", "Eko", "Ratna", "Dimas", "Putri",
)  # fmt: skip
LAST_NAMES = (
    "Saputra", "Rahayu", "Hidayat", "Kusuma", "Pratama", "Wijaya", "Nasution", "Siregar",
    "Lubis", "Hakim", "Santoso", "Permata", "Gunawan", "Halim", "Utami",
)  # fmt: skip
UNUSABLE = "!"
PDF = b"%PDF-1.4\n% Bukti pelatihan (contoh)\n"


def _nip(rng: random.Random, serial: int) -> str:
    born = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randrange(0, 30 * 365))
    appointed = rng.randrange(1995, 2022)
    month, gender = rng.randrange(1, 13), rng.randrange(1, 3)
    return f"{born:%Y%m%d}{appointed}{month:02d}{gender}{serial % 1000:03d}"


def _learners(rng: random.Random) -> list[User]:
    units = [unit for unit in Unit.objects.order_by("path") if unit.is_leaf() or unit.depth == 2]
    people = []
    serial = 1
    for unit in units:
        for _n in range(LEARNERS_PER_UNIT):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            people.append(
                User(
                    username=_nip(rng, serial),
                    full_name=name,
                    email=f"demo.laporan.{serial}@example.go.id",
                    employee_type=EmployeeType.INTERNAL,
                    unit=unit,
                    activated_at=timezone.now(),
                    password=UNUSABLE,  # these accounts only fill the reports
                )
            )
            serial += 1
    for n in range(8):  # external learners: no target by default
        people.append(
            User(
                username=f"demo.eksternal.{n + 1}",
                full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                email=f"demo.eksternal.{n + 1}@example.com",
                employee_type=EmployeeType.EXTERNAL,
                activated_at=timezone.now(),
                password=UNUSABLE,
            )
        )
    return User.objects.bulk_create(people, ignore_conflicts=True)


def _moment(rng: random.Random, year: int, last_month: int) -> dt.datetime:
    month = rng.randint(1, last_month)
    return dt.datetime(
        year,
        month,
        rng.randint(1, 28),
        rng.randint(7, 20),
        rng.randint(0, 59),
        tzinfo=institution_tz(),
    )


def _enrolments(rng: random.Random, learners: list[User], courses: list[Course]) -> None:
    now = timezone.now().astimezone(institution_tz())
    exams = {
        exam.course_id: exam for exam in Exam.objects.filter(course__in=courses, is_final=True)
    }
    enrollments: list[Enrollment] = []
    attempts: list[Attempt] = []
    started: list[tuple[User, Course]] = []
    for user in learners:
        for course in rng.sample(courses, k=rng.randint(0, len(courses))):
            outcome = rng.random()
            year = now.year if rng.random() < 0.8 else now.year - 1
            last_month = now.month if year == now.year else 12
            done_at = _moment(rng, year, last_month)
            if done_at > now:
                done_at = now - dt.timedelta(hours=rng.randint(1, 48))
            enrolled_at = done_at - dt.timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 20))
            enrollment = Enrollment(user=user, course=course, jp=course.jp, unit=user.unit)
            enrollment.created_at = enrolled_at
            if outcome < 0.6:
                score = Decimal(rng.randint(70, 100))
                enrollment.status, enrollment.result = (
                    EnrollmentStatus.COMPLETED,
                    EnrollmentResult.PASSED,
                )
            elif outcome < 0.75:
                score = Decimal(rng.randint(20, 69))
                enrollment.status, enrollment.result = (
                    EnrollmentStatus.COMPLETED,
                    EnrollmentResult.FAILED,
                )
            else:
                started.append((user, course))
                enrollments.append(enrollment)
                continue
            enrollment.final_score, enrollment.completed_at = score, done_at
            enrollments.append(enrollment)
            exam = exams.get(course.pk)
            if exam is not None:
                tries = 1 if score >= 70 and rng.random() < 0.7 else rng.randint(1, 3)
                for number in range(1, tries + 1):
                    last = number == tries
                    graded_at = done_at - dt.timedelta(days=tries - number)
                    try_score = score if last else Decimal(rng.randint(20, 69))
                    attempts.append(
                        Attempt(
                            exam=exam,
                            user=user,
                            number=number,
                            started_at=graded_at - dt.timedelta(minutes=40),
                            deadline=graded_at + dt.timedelta(minutes=20),
                            submitted_at=graded_at,
                            graded_at=graded_at,
                            state=AttemptState.GRADED,
                            score=try_score,
                            passed=try_score >= 70,
                        )
                    )
    created = Enrollment.objects.bulk_create(enrollments, ignore_conflicts=True)
    # auto_now_add stamped "now" on insert: give back the enrolment dates.
    saved = {(e.user_id, e.course_id): e.created_at for e in enrollments}
    rows = list(Enrollment.objects.filter(user__in=learners).only("pk", "user_id", "course_id"))
    for row in rows:
        row.created_at = saved.get((row.user_id, row.course_id), row.created_at)
    Enrollment.objects.bulk_update(rows, ["created_at"], batch_size=500)
    Attempt.objects.bulk_create(attempts, ignore_conflicts=True)
    _learning_this_month(rng, started)
    del created


def _learning_this_month(rng: random.Random, started: list[tuple[User, Course]]) -> None:
    """Active enrolments did some material lately: "active learners this month"."""
    materials: dict[int, list[Material]] = {}
    for material in Material.objects.current().select_related("section"):
        materials.setdefault(material.section.course_id, []).append(material)
    progress = []
    for user, course in started:
        course_materials = materials.get(course.pk, [])
        for material in course_materials[: rng.randint(0, len(course_materials))]:
            progress.append(MaterialProgress(user=user, material=material, course=course))
    MaterialProgress.objects.bulk_create(progress, ignore_conflicts=True)


def _training_elsewhere(rng: random.Random, learners: list[User], actor: User | None) -> None:
    if actor is None:
        return
    year = timezone.now().astimezone(institution_tz()).year
    chosen = [user for user in learners if user.username == DEMO_LEARNER]
    others = [user for user in learners if user.username != DEMO_LEARNER]
    for user in chosen + rng.sample(others, k=min(11, len(others))):
        ends = dt.date(year, rng.randint(1, timezone.localdate().month), rng.randint(1, 28))
        external_training_add(
            user=user,
            data=ExternalTrainingInput(
                title=rng.choice(
                    (
                        "Pelatihan Kepemimpinan Pengawas",
                        "Bimbingan Teknis Penyusunan SKP",
                        "Diklat Teknis Pengadaan Barang/Jasa",
                        "Webinar Manajemen ASN",
                    )
                ),
                organiser=rng.choice(("LAN RI", "BKN", "LKPP", "Pusdiklat Kemendagri")),
                starts_on=ends - dt.timedelta(days=rng.randint(0, 5)),
                ends_on=ends,
                jp=rng.choice((2, 4, 8, 16, 24)),
                certificate_number=f"DEMO/{year}/{rng.randint(100, 999)}",
                evidence=SimpleUploadedFile("bukti.pdf", PDF, content_type="application/pdf"),
                reason="Data contoh: sertifikat diserahkan ke unit kepegawaian.",
            ),
            actor=actor,
        )


def _viewer() -> None:
    """The demo report viewer (a login of mooc.accounts.demo, with an authenticator),
    limited to Kanwil Jawa Barat and its offices."""
    unit = Unit.objects.filter(code="KW-JABAR").first()
    viewer = User.objects.filter(username=VIEWER_USERNAME).first()
    if unit is None or viewer is None:
        return
    ReportScope.objects.get_or_create(user=viewer, defaults={"unit": unit})


def load() -> None:
    _viewer()
    if User.objects.filter(email="demo.laporan.1@example.go.id").exists():
        return
    rng = random.Random(16)  # noqa: S311 - made-up demo data, the same on every run
    courses = list(Course.objects.published())
    if not courses:
        return
    with transaction.atomic():
        _learners(rng)
        learners = list(User.objects.filter(email__startswith="demo.").order_by("pk"))
        _enrolments(rng, learners, courses)
        actor = User.objects.filter(is_superuser=True).order_by("pk").first()
        budi = User.objects.filter(username=DEMO_LEARNER).first()
        _training_elsewhere(rng, [*learners[:40], *([budi] if budi else [])], actor)
