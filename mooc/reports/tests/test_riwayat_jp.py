"""The learner's "Riwayat JP", reached from Beranda's JP bar, and their own SIASN rows."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from mooc.accounts.tests.helpers import signed_in
from mooc.reports.tests.support import (
    certificate_for,
    enrol_passed,
    external_training_for,
    report_course,
    report_learner,
)

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
URL = reverse("reports:my_jp")


def test_berandas_jp_bar_links_to_riwayat_jp(client: Client) -> None:
    signed_in(client, report_learner())

    html = client.get(reverse("catalog:dashboard")).content.decode()

    assert f'href="{URL}"' in html and "Riwayat JP" in html


def test_berandas_jp_bar_counts_as_riwayat_jp_does(client: Client) -> None:
    user = signed_in(client, report_learner())
    this_year = dt.datetime.now(WIB).year
    on = dt.datetime(this_year, 1, 2, tzinfo=WIB)
    certificate_for(enrol_passed(user, report_course(jp=12), at=on))
    certificate_for(enrol_passed(user, report_course(jp=5), at=on), revoked=True)
    external_training_for(user, jp=6, ends_on=on.date())

    html = client.get(reverse("catalog:dashboard")).content.decode()

    # 12 + 6 elsewhere; the revoked certificate's 5 JP do not count.
    assert '<strong id="jp-label">18 / 20 JP</strong>' in html


def test_an_external_learner_without_a_target_sees_their_jp_without_a_bar(
    client: Client,
) -> None:
    user = signed_in(client, report_learner(internal=False, instansi="Universitas Demo"))
    enrol_passed(user, report_course(jp=4))

    html = client.get(reverse("catalog:dashboard")).content.decode()

    assert '<strong id="jp-label">4 JP</strong>' in html
    assert 'role="progressbar" aria-labelledby="jp-title"' not in html


def test_riwayat_jp_lists_each_year_with_courses_certificates_and_training_elsewhere(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    user = signed_in(client, report_learner())
    kept = enrol_passed(
        user, report_course(jp=12, title="Etika ASN"), at=dt.datetime(2026, 2, 1, tzinfo=WIB)
    )
    certificate = certificate_for(kept)
    revoked = enrol_passed(
        user, report_course(jp=5, title="Dicabut"), at=dt.datetime(2025, 6, 1, tzinfo=WIB)
    )
    certificate_for(revoked, revoked=True)
    external_training_for(user, jp=6, ends_on=dt.date(2026, 5, 1))

    with django_assert_max_num_queries(11):
        html = client.get(URL).content.decode()

    assert "2026: 18 / 20 JP" in html and "2025: 0 / 20 JP" in html
    assert reverse("certificates:detail", args=[certificate.pk]) in html
    assert "Pelatihan Kepemimpinan" in html and "LAN RI" in html
    assert "Plagiarisme terbukti." in html


def test_a_learner_downloads_their_own_siasn_rows(client: Client) -> None:
    user = signed_in(client, report_learner(username="198609262015051001"))
    enrol_passed(
        user, report_course(jp=12, title="Etika ASN"), at=dt.datetime(2026, 2, 1, tzinfo=WIB)
    )
    enrol_passed(
        report_learner(), report_course(title="Orang lain"), at=dt.datetime(2026, 2, 1, tzinfo=WIB)
    )

    response = client.get(reverse("reports:my_siasn", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active  # type: ignore[attr-defined]
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]

    assert len(rows) == 2 and rows[1][0] == "198609262015051001" and "Etika ASN" in rows[1]


def test_riwayat_jp_needs_a_login(client: Client) -> None:
    assert client.get(URL).status_code == 302
