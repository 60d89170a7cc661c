"""Builders for the personal-data tests (no tests here)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from mooc.accounts.models import EmployeeType, Unit, User
from mooc.accounts.nip import parse_nip
from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.models import Course, Favorite
from mooc.catalog.tests.factories import EnrollmentFactory
from mooc.certificates.models import Certificate
from mooc.certificates.tests.support import course_with_exam, pass_course, take
from mooc.exams.models import Exam
from mooc.learning.models import Material, MaterialProgress, Section

PASSWORD = "Rahasia123"
NIP = "198609262015051001"
OTHER_NIP = "197001011995031001"
PHOTO_BYTES = b"\xff\xd8\xff\xe0 a stand-in for a JPEG \xff\xd9"


@dataclass
class History:
    user: User
    course: Course
    exam: Exam
    certificate: Certificate
    material: Material


def learner(username: str, *, full_name: str, email: str, phone: str, jabatan: str) -> User:
    user = UserFactory.create(username=username)
    root = Unit.objects.first() or Unit.objects.add_root({"code": "KEM", "name": "Kementerian"})
    user.full_name = full_name
    user.email = email
    user.phone = phone
    user.jabatan = jabatan
    user.employee_type = EmployeeType.INTERNAL
    user.nip_kind = parse_nip(username).kind
    user.unit = root
    user.save()
    return user


def history(
    *,
    username: str = NIP,
    full_name: str = "Rina Wulandari",
    email: str = "rina.wulandari@example.go.id",
    phone: str = "081234567890",
    jabatan: str = "Analis Kepegawaian",
    course_exam: tuple[Course, Exam] | None = None,
) -> History:
    """A learner who failed once, then passed (certificate issued, numbered and rendered),
    finished a material, has a favourite and a photo. Call inside
    django_capture_on_commit_callbacks(execute=True)."""
    course, exam = course_exam or course_with_exam()
    user = learner(username, full_name=full_name, email=email, phone=phone, jabatan=jabatan)
    section, _ = Section.objects.get_or_create(course=course, title="Bagian 1")
    material, _ = Material.objects.get_or_create(section=section, title="Materi Pengantar")
    MaterialProgress.objects.create(user=user, material=material, course=course)
    Favorite.objects.create(user=user, course=course)
    user.photo.save("rina.jpg", ContentFile(PHOTO_BYTES))
    EnrollmentFactory.create(user=user, course=course)
    take(user, exam, right=False)
    pass_course(user, course, exam)
    certificate = Certificate.objects.select_related("current_version").get(user=user)
    return History(user, course, exam, certificate, material)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def admin_user() -> User:
    from mooc.accounts.roles import ROLE_ADMIN

    admin = User.objects.create_user(
        username="admin-bpsdm",
        password=PASSWORD,
        full_name="Admin BPSDM",
        email="admin@example.go.id",
        is_staff=True,
        activated_at=timezone.now(),
    )
    admin.groups.add(Group.objects.get(name=ROLE_ADMIN))
    return admin
