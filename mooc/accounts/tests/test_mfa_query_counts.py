"""SQL budgets of the second step's pages and of "Data pribadi" (a learner's page)."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django import DjangoAssertNumQueries

from mooc.accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.real_mfa]


def test_the_verify_and_enrol_pages_run_a_fixed_number_of_queries(
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    enrolled, new = UserFactory.create(staff=True), UserFactory.create(staff=True)
    TOTPDevice.objects.create(user=enrolled, name="Telepon", confirmed=True)
    verify, enrol = Client(), Client()
    verify.force_login(enrolled)
    enrol.force_login(new)
    verify.get("/verifikasi-dua-langkah/")  # the session's "last seen" is written once
    enrol.get("/verifikasi-dua-langkah/aktifkan/")

    # The user (1), their device (1).
    with django_assert_max_num_queries(2):
        assert verify.get("/verifikasi-dua-langkah/").status_code == 200
    # Pinned at the count measured when written (the user and the devices read and
    # the new one's key stored); a loop over devices would break it.
    with django_assert_max_num_queries(5):
        assert enrol.get("/verifikasi-dua-langkah/aktifkan/").status_code == 200


def test_data_pribadi_runs_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client.force_login(UserFactory.create())
    client.get("/profil/data-pribadi/")

    # Pinned at the count measured when written.
    with django_assert_max_num_queries(4):
        assert client.get("/profil/data-pribadi/").status_code == 200
