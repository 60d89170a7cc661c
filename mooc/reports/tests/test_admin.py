"""The reports' admin lists keep to the viewer's scope, as the report pages do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from mooc.reports.models import ReportScope, SiasnBatch
from mooc.reports.tests.support import (
    external_training_for,
    report_admin,
    report_learner,
    report_unit,
    report_viewer,
)

pytestmark = pytest.mark.django_db


def test_a_report_viewer_lists_only_their_units_training_and_batches(client: Client) -> None:
    jabar, jatim = report_unit("Jawa Barat"), report_unit("Jawa Timur")
    ReportScope.objects.create(user=report_viewer(jatim), unit=jatim)  # a colleague elsewhere
    mine = external_training_for(report_learner(unit=jabar, name="Rina Jabar"))
    theirs = external_training_for(report_learner(unit=jatim, name="Sari Jatim"))
    SiasnBatch.objects.create(
        unit=jatim, date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 2, 1)
    )
    client.force_login(report_viewer(jabar))

    listing = client.get(reverse("admin:reports_externaltraining_changelist")).content.decode()
    detail = client.get(reverse("admin:reports_externaltraining_change", args=[mine.pk]))
    other = client.get(reverse("admin:reports_externaltraining_change", args=[theirs.pk]))
    batches = client.get(reverse("admin:reports_siasnbatch_changelist"))
    scopes = client.get(reverse("admin:reports_reportscope_changelist"))

    assert "Rina Jabar" in listing and "Sari Jatim" not in listing
    assert detail.status_code == 200
    assert reverse("reports:external_training_evidence", args=[mine.pk]) in detail.content.decode()
    assert other.status_code == 302  # the admin's "does not exist" redirect
    assert batches.context["cl"].result_count == 0
    assert scopes.status_code == 200 and scopes.context["cl"].result_count == 0


def test_an_admin_sees_every_entry_and_the_scopes(client: Client) -> None:
    external_training_for(report_learner(unit=report_unit("Jawa Timur"), name="Sari Jatim"))
    client.force_login(report_admin())

    assert (
        "Sari Jatim"
        in client.get(reverse("admin:reports_externaltraining_changelist")).content.decode()
    )
    assert client.get(reverse("admin:reports_reportscope_changelist")).status_code == 200
