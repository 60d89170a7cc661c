"""Seed 000 (Daftar Pelatihan, Detail Kursus, Ambil Kursus Ini, Favorite, Kursus yang
Diikuti) and seed 001 (sections A, C, D): browsing, enrolling, favourites and the player."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.pages import check_page, open_main_menu
from mooc.accounts.models import EmployeeType, Unit, User
from mooc.catalog.models import Course, Enrollment, Favorite
from mooc.learning.models import Material, MaterialProgress

pytestmark = pytest.mark.django_db(transaction=True)
COURSE = "literasi-digital-keamanan-informasi"
TITLE = "Literasi Digital dan Keamanan Informasi bagi ASN"


@pytest.fixture(autouse=True)
def _demo(demo_content: None) -> None:
    pass


def url(page: Page, path: str) -> str:
    return page.base_url + path  # type: ignore[attr-defined,no-any-return]


def learner(username: str = "197001011995031001", name: str = "Rina Wulandari") -> User:
    return User.objects.create_user(
        username=username,
        password="Rahasia123",
        full_name=name,
        email=f"{username}@example.go.id",
        employee_type=EmployeeType.INTERNAL,
        unit=Unit.objects.get(code="KW-JABAR-LPS-BDG"),
        activated_at=timezone.now(),
    )


def open_menu(page: Page) -> None:
    open_main_menu(page)


def fill_login(page: Page, username: str) -> None:
    page.get_by_label("NIP/Username").fill(username)
    page.get_by_label(re.compile(r"^Password\W*$")).fill("Rahasia123")
    page.get_by_label("Ketik kode pada gambar").fill("PASSED")
    page.get_by_role("button", name="Login").click()


def log_in(page: Page, username: str) -> None:
    page.goto(url(page, "/login/"))
    fill_login(page, username)
    expect(page).to_have_url(re.compile("/beranda/$"))


def test_a_visitor_browses_filters_searches_and_enrols_after_logging_in(
    page: Page, viewport: str
) -> None:
    rina = learner()
    page.goto(url(page, "/"))
    open_menu(page)
    page.get_by_role("link", name="Daftar Pelatihan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Daftar Pelatihan")
    check_page(page, "catalogue", viewport)

    page.get_by_label("Kategori").select_option(label="Transformasi Digital")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.locator("article.card-course")).to_have_count(1)
    page.get_by_label("Kategori").select_option(label="Semua kategori")
    page.get_by_label("Cari", exact=True).fill("etika")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.locator("article.card-course")).to_have_count(1)
    expect(page.locator("article.card-course")).to_contain_text("Etika Pelayanan Publik")
    check_page(page, "catalogue-search", viewport)

    page.get_by_label("Cari", exact=True).fill("literasi")
    page.get_by_role("button", name="Cari", exact=True).click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    check_page(page, "course-detail", viewport)

    page.get_by_role("link", name="Ambil Kursus Ini").click()
    fill_login(page, rina.username)
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    page.get_by_role("button", name="Ambil Kursus Ini").click()

    expect(page).to_have_url(re.compile(rf"/belajar/{COURSE}/materi/\d+/$"))
    enrollment = Enrollment.objects.get(user=rina, course__slug=COURSE)
    assert enrollment.jp == 8 and enrollment.unit is not None
    page.goto(url(page, f"/pelatihan/{COURSE}/"))
    expect(page.get_by_role("link", name="Lanjutkan Belajar")).to_be_visible()


def test_a_learner_favorites_a_course_and_finds_it_under_favorite(
    page: Page, viewport: str
) -> None:
    rina = learner()
    log_in(page, rina.username)
    page.goto(url(page, f"/pelatihan/{COURSE}/"))
    page.get_by_role("button", name="Tambahkan ke favorit").first.click()
    expect(page.get_by_role("button", name="Hapus dari favorit").first).to_be_visible()
    assert Favorite.objects.filter(user=rina, course__slug=COURSE).exists()

    open_menu(page)
    page.get_by_role("link", name="Favorite", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Favorite")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    check_page(page, "favorites", viewport)


def test_a_learner_studies_to_the_end_and_beranda_follows(page: Page, viewport: str) -> None:
    rina = learner()
    course = Course.objects.get(slug=COURSE)
    Enrollment.objects.create(user=rina, course=course, jp=course.jp, unit=rina.unit)
    log_in(page, rina.username)
    expect(page.get_by_text("Total Pelatihan Diikuti")).to_be_visible()
    check_page(page, "beranda-enrolled", viewport)
    page.get_by_role("link", name="Lanjutkan Belajar").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Empat Pilar Literasi Digital")
    check_page(page, "player-reading", viewport)

    video = Material.objects.current().filter(section__course=course).exclude(video_file="").get()
    total = Material.objects.current().filter(section__course=course).count()
    for step in range(total):
        if page.get_by_role("heading", level=1).inner_text() == video.title:
            player = page.locator("video")
            expect(player).to_be_visible()
            check_page(page, "player-video", viewport)
            # Play, then seek: the file is served with HTTP range requests.
            player.evaluate("v => { v.muted = true; return v.play(); }")
            page.wait_for_function("document.querySelector('video').readyState >= 1")
            player.evaluate("v => { v.currentTime = 8; }")
            page.wait_for_function("Math.abs(document.querySelector('video').currentTime - 8) < 1")
        page.get_by_role("button", name=re.compile("^Selanjutnya")).click()
        assert MaterialProgress.objects.filter(user=rina, course=course).count() == step + 1

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Anda telah menyelesaikan semua materi"
    )
    check_page(page, "player-end", viewport)
    page.goto(url(page, "/beranda/"))
    expect(page.locator("main")).to_contain_text("100%")


def test_another_learner_cannot_open_the_materials_or_files_by_url(
    page: Page, viewport: str
) -> None:
    course = Course.objects.get(slug=COURSE)
    video = Material.objects.current().filter(section__course=course).exclude(video_file="").get()
    outsider = learner("197201012000031002", "Andi Outsider")
    log_in(page, outsider.username)

    page.goto(url(page, f"/belajar/{COURSE}/materi/{video.pk}/"))
    expect(page).to_have_url(re.compile(rf"/pelatihan/{COURSE}/$"))
    response = page.request.get(
        url(page, f"/belajar/{COURSE}/materi/{video.pk}/video/"), max_redirects=0
    )
    assert response.status in {302, 403}
    assert not response.headers.get("content-type", "").startswith("video/")
    assert not MaterialProgress.objects.filter(user=outsider).exists()
