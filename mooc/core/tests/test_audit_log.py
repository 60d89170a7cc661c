from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory, override_settings
from django.utils import translation
from django.utils.formats import date_format

from mooc.accounts.models import User
from mooc.core.files import private_storage
from mooc.core.models import AuditLog, SiteSettings
from mooc.core.services import audit_log_record

pytestmark = pytest.mark.django_db


@override_settings(TRUSTED_PROXIES=[])
def test_it_records_actor_target_reason_changes_and_ip(admin_user: User) -> None:
    learner = User.objects.create_user(username="198609262015051001", full_name="Budi")
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.4")

    entry = audit_log_record(
        actor=admin_user,
        action="user.email_corrected",
        target=learner,
        reason="Ticket #12: typo in e-mail",
        before={"email": "budi@exmaple.org"},
        after={"email": "budi@example.org"},
        request=request,
    )

    row = AuditLog.objects.get(pk=entry.pk)
    assert row.actor == admin_user
    assert row.actor_label == "admin"
    assert row.action == "user.email_corrected"
    assert row.target_type is not None and row.target_type.model == "user"
    assert row.target_id == str(learner.pk)
    assert row.target_label == "Budi (198609262015051001)"
    assert row.reason == "Ticket #12: typo in e-mail"
    assert row.before == {"email": "budi@exmaple.org"}
    assert row.after == {"email": "budi@example.org"}
    assert row.ip == "203.0.113.4"


def test_the_system_can_be_the_actor() -> None:
    entry = audit_log_record(actor=None, action="attempt.auto_submitted")
    assert entry.actor is None
    assert entry.actor_label == "system"
    assert entry.ip is None


def test_entries_cannot_be_changed_or_deleted_through_the_orm(admin_user: User) -> None:
    entry = audit_log_record(actor=admin_user, action="x")
    entry.reason = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    assert AuditLog.objects.get(pk=entry.pk).reason == ""


@pytest.mark.postgres
def test_postgresql_refuses_raw_updates_and_deletes(admin_user: User) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    entry = audit_log_record(actor=admin_user, action="x")
    for sql in [
        "UPDATE core_auditlog SET reason = 'x' WHERE id = %s",
        "DELETE FROM core_auditlog WHERE id = %s",
    ]:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert AuditLog.objects.filter(pk=entry.pk, reason="").exists()


def test_removing_the_actor_keeps_the_entry_and_the_name(admin_user: User) -> None:
    other = User.objects.create_user(username="helpdesk", full_name="Helpdesk")
    entry = audit_log_record(actor=other, action="user.activated", target=admin_user)
    other.delete()
    row = AuditLog.objects.get(pk=entry.pk)
    assert row.actor is None
    assert row.actor_label == "helpdesk"


def test_the_admin_lists_and_searches_but_offers_no_edit(client: Client, admin_user: User) -> None:
    audit_log_record(actor=admin_user, action="certificate.revoked", reason="duplicate")
    audit_log_record(actor=admin_user, action="user.deactivated", reason="left the ministry")
    client.force_login(admin_user)

    response = client.get("/admin/core/auditlog/", {"q": "revoked"})

    assert response.status_code == 200
    assert [e.action for e in response.context["cl"].result_list] == ["certificate.revoked"]
    assert client.get("/admin/core/auditlog/add/").status_code == 403


def test_site_settings_admin_goes_straight_to_the_single_row(
    client: Client, admin_user: User
) -> None:
    client.force_login(admin_user)
    response = client.get("/admin/core/sitesettings/")
    assert response.status_code == 302
    assert response["Location"].endswith(
        f"/admin/core/sitesettings/{SiteSettings.SINGLETON_ID}/change/"
    )


def test_the_signature_image_is_stored_privately_and_the_admin_page_still_opens(
    client: Client, admin_user: User
) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, "PNG")
    row = SiteSettings.objects.create()
    row.signature_image = SimpleUploadedFile("ttd.png", buffer.getvalue(), "image/png")
    row.save()
    client.force_login(admin_user)

    response = client.get(f"/admin/core/sitesettings/{row.pk}/change/")

    assert response.status_code == 200
    assert private_storage().exists(row.signature_image.name)
    assert row.signature_image.name.startswith("signatures/")
    assert "/media/" not in response.content.decode().split("signature_image")[1][:300]


def test_the_admin_says_actions_as_sentences_in_the_institutions_time(
    client: Client, admin_user: User
) -> None:
    from mooc.accounts.tests.factories import UserFactory

    learner = UserFactory.create(full_name="Rina")
    entry = audit_log_record(
        actor=admin_user,
        action="certificate.revoke",
        target=learner,
        reason="Peserta tidak berhak " + "x" * 200,
        before={"state": "valid"},
        after={"state": "revoked", "revoked_at": "2026-03-01T02:30:00+00:00"},
    )
    audit_log_record(actor=admin_user, action="something.new")
    client.force_login(admin_user)

    listing = client.get("/admin/core/auditlog/").content.decode()
    detail = client.get(f"/admin/core/auditlog/{entry.pk}/change/").content.decode()

    # Entries are append-only (on PostgreSQL even to tests): the time is read, not set.
    local = entry.created_at.astimezone(dt.timezone(dt.timedelta(hours=7)))
    with translation.override("id"):
        shown = f"{date_format(local, 'j M Y H:i:s')} WIB"
    assert "Sertifikat dicabut" in listing and "something.new" in listing
    assert shown in listing and shown in detail
    assert "x" * 100 not in listing  # the reason is cut in the list …
    assert "x" * 200 in detail  # … and whole on the entry's page
    # A moment stored in UTC in the changes is shown in WIB: 02:30 UTC is 09:30.
    assert "1 Mar 2026 09:30:00 WIB" in detail and "02:30:00" not in detail


def test_the_object_type_filter_offers_only_the_projects_own_types(
    client: Client, admin_user: User
) -> None:
    from django.contrib.auth.models import Permission

    from mooc.accounts.tests.factories import UserFactory

    audit_log_record(actor=admin_user, action="user.deactivated", target=UserFactory.create())
    audit_log_record(actor=admin_user, action="x.y", target=Permission.objects.first())
    client.force_login(admin_user)

    response = client.get("/admin/core/auditlog/")

    spec = next(s for s in response.context["cl"].filter_specs if s.parameter_name == "target_type")
    labels = [str(label) for _value, label in spec.lookup_choices]
    assert labels == ["Pengguna"] or labels == ["User"]


def test_every_recorded_action_has_a_sentence() -> None:
    """Each action code written in the code base is named in core.audit_labels."""
    import pathlib
    import re

    from mooc.core.audit_labels import ACTION_LABELS

    root = pathlib.Path(__file__).resolve().parents[2]
    codes: set[str] = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text()
        if "audit_log_record" not in text and "_save_and_record" not in text:
            continue
        codes |= set(re.findall(r'action="([a-z_]+(?:\.[a-z_]+)?)"', text))
    codes -= {"store_true", "append"}  # argparse, not the audit log
    assert codes, "the scan found no action"
    assert sorted(codes - set(ACTION_LABELS)) == []
