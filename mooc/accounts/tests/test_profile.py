from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from mooc.accounts.models import Unit, User
from mooc.accounts.tests.factories import NIP, PASSWORD
from mooc.accounts.tests.helpers import captcha

pytestmark = pytest.mark.django_db(transaction=True)


def png(size: tuple[int, int] = (300, 200)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, "PNG")
    return SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def logged_in(client: Client, make_user: Callable[..., User], unit: Unit) -> User:
    user = make_user(unit=unit, phone="0811111111", jabatan="Staf")
    client.post("/login/", captcha(username=NIP, password=PASSWORD))
    return user


def data(unit: Unit, **overrides: object) -> dict[str, object]:
    return {
        "full_name": "Budi Santoso, S.H.",
        "phone": "0812 3456 7890",
        "jabatan": "Analis",
        "unit": unit.pk,
        **overrides,
    }


def test_a_learner_saves_the_profile_with_a_photo(
    client: Client, logged_in: User, unit: Unit
) -> None:
    page = client.get("/profil/").content.decode()
    assert "Simpan Perubahan Profil" in page and NIP in page

    response = client.post("/profil/", data(unit, photo=png((3000, 2000))))

    assert response.status_code == 302
    user = User.objects.get(pk=logged_in.pk)
    assert (user.full_name, user.phone, user.jabatan) == (
        "Budi Santoso, S.H.",
        "081234567890",
        "Analis",
    )
    assert user.username == NIP
    stored = Image.open(user.photo)
    assert max(stored.size) <= 800  # re-encoded and scaled down
    photo = client.get("/profil/foto/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"


def test_the_nip_cannot_be_changed_through_the_profile(
    client: Client, logged_in: User, unit: Unit
) -> None:
    client.post("/profil/", data(unit, username="197001011995031001"))
    assert User.objects.get(pk=logged_in.pk).username == NIP


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("x.png", b"not an image at all", content_type="image/png"),
            "Unggah gambar",
        ),
        (
            SimpleUploadedFile("x.html", b"<script>alert(1)</script>", content_type="text/html"),
            "Unggah gambar",
        ),
        (
            SimpleUploadedFile("big.jpg", b"\xff" * (10 * 1024 * 1024), content_type="image/jpeg"),
            "terlalu besar",
        ),
    ],
)
def test_a_bad_photo_is_refused_and_nothing_changes(
    client: Client, logged_in: User, unit: Unit, upload: SimpleUploadedFile, message: str
) -> None:
    response = client.post("/profil/", data(unit, photo=upload, full_name="Nama Baru"))
    assert message in response.content.decode()
    user = User.objects.get(pk=logged_in.pk)
    assert user.full_name == "Budi Santoso" and not user.photo


def test_an_empty_name_or_bad_phone_is_refused(client: Client, logged_in: User, unit: Unit) -> None:
    response = client.post("/profil/", data(unit, full_name="", phone="12ab"))
    errors = response.context["form"].errors
    assert "full_name" in errors and "phone" in errors


def test_another_learners_photo_is_not_reachable(
    client: Client, make_user: Callable[..., User]
) -> None:
    assert client.get("/profil/foto/").status_code == 302  # visitors go to login


def test_changing_the_email_needs_the_link_sent_to_the_new_address(
    client: Client, logged_in: User, make_user: Callable[..., User]
) -> None:
    make_user("197001011995031001", email="dipakai@example.go.id")
    taken = client.post("/profil/email/", {"email-new_email": "DIPAKAI@example.go.id"})
    assert "Alamat email ini sudah terdaftar." in taken.content.decode()

    client.post("/profil/email/", {"email-new_email": "budi.baru@example.go.id"})

    assert User.objects.get(pk=logged_in.pk).email == f"{NIP}@example.go.id"  # not yet
    assert mail.outbox[-1].to == ["budi.baru@example.go.id"]
    link = re.search(r"/profil/email/[\w-]+/", str(mail.outbox[-1].body)).group(0)  # type: ignore[union-attr]
    client.get(link)
    assert User.objects.get(pk=logged_in.pk).email == "budi.baru@example.go.id"
    assert client.get(link).status_code == 400
