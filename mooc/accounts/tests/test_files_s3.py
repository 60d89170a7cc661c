"""Account files on object storage (issue 18, item 5): the profile photo and the user
import waiting between its dry run and its confirmation."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from mooc.accounts.models import Unit, User
from mooc.accounts.tests.helpers import COLUMNS, internal
from mooc.core.s3 import PrivateS3Storage
from mooc.core.tests.helpers import fetched

pytestmark = pytest.mark.django_db


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), "navy").save(buffer, "PNG")
    return SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")


def keys(storage: PrivateS3Storage, prefix: str) -> list[str]:
    listing = storage.connection.meta.client.list_objects_v2(
        Bucket=storage.bucket_name, Prefix=f"private/{prefix}"
    )
    return [entry["Key"] for entry in listing.get("Contents", [])]


def test_the_photo_is_stored_in_the_bucket_and_handed_only_to_its_owner(
    s3_private: PrivateS3Storage,
    client: Client,
    make_user: Callable[..., User],
    unit: Unit,
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = make_user(unit=unit, phone="0811111111", jabatan="Staf")
    client.force_login(user)
    form = {"full_name": "Budi", "phone": "0811111111", "jabatan": "Staf", "unit": unit.pk}
    assert client.post("/profil/", {**form, "photo": png()}).status_code == 302
    user.refresh_from_db()
    first = user.photo.name
    assert keys(s3_private, "photos/") == [f"private/{first}"]

    response = client.get("/profil/foto/")
    assert response.status_code == 302
    assert Image.open(io.BytesIO(fetched(response))).format == "JPEG"

    # A new photo replaces the old one in the bucket once the change is committed.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/profil/", {**form, "photo": png()})
    user.refresh_from_db()
    assert keys(s3_private, "photos/") == [f"private/{user.photo.name}"] != [f"private/{first}"]

    client.logout()
    assert client.get("/profil/foto/").status_code == 302  # to the login page
    assert "X-Amz-Signature" not in client.get("/profil/foto/")["Location"]


def test_a_user_import_waits_in_the_bucket_until_confirmed(
    s3_private: PrivateS3Storage, admin_client: Client, unit: Unit
) -> None:
    data = ("\n".join([",".join(COLUMNS), ",".join(internal(1))]) + "\n").encode()
    url = reverse("admin:accounts_user_import")
    checked = admin_client.post(url, {"file": SimpleUploadedFile("pegawai.csv", data)})
    assert checked.context["report"].ok
    assert len(keys(s3_private, "imports/pending/")) == 1
    # A second dry run sweeps the folder (listing and dates read from the bucket).
    again = admin_client.post(url, {"file": SimpleUploadedFile("pegawai.csv", data)})
    assert len(keys(s3_private, "imports/pending/")) == 1  # the first one dropped

    response = admin_client.post(url, {"token": again.context["token"]})
    assert response.status_code == 302
    assert User.objects.filter(unit=unit).count() == 1
    assert keys(s3_private, "imports/pending/") == []
