"""Each account page runs a fixed number of SQL queries, however many units exist."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from mooc.accounts.models import Unit, User
from mooc.accounts.tests.factories import NIP, PASSWORD
from mooc.accounts.tests.helpers import captcha
from mooc.core.selectors import site_settings_get

pytestmark = pytest.mark.django_db


def add_units(count: int) -> None:
    root = Unit.objects.add_root({"code": "ROOT", "name": "Kementerian"})
    for i in range(count):
        Unit.objects.add_child(root, {"code": f"U{i}", "name": f"Unit {i}"})


@pytest.mark.parametrize("units", [1, 50])
def test_visitor_pages(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries, units: int
) -> None:
    add_units(units)
    site_settings_get()
    # The captcha forms store their challenge (1); registration also lists the units (1).
    for url, budget in [
        ("/login/", 1),
        ("/kirim-ulang-verifikasi/", 1),
        ("/lupa-password/", 1),
        ("/daftar/", 2),
    ]:
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("units", [1, 50])
def test_signed_in_pages(
    client: Client,
    make_user: Callable[..., User],
    unit: Unit,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    units: int,
) -> None:
    add_units(units)
    make_user(unit=unit)
    client.post("/login/", captcha(username=NIP, password=PASSWORD))
    site_settings_get()
    # The user (1); Profil lists the units (1); Beranda also shows the unit, the
    # course totals, the JP ledger's figure, the continue-learning list and available
    # courses (1 each); Pengaturan lists the app's signed-in devices (1).
    for url, budget in [("/beranda/", 6), ("/profil/", 2), ("/pengaturan/", 2)]:
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200


def test_a_login_runs_a_fixed_set_of_statements(
    client: Client, make_user: Callable[..., User]
) -> None:
    """A login storm pays for every statement of a login: the captcha (expired ones
    removed, the answer used up), the account read once, the session written once,
    last_login, and whether the second step is needed (one query)."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_user()
    client.get("/login/")
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/login/", captcha(username=NIP, password=PASSWORD))
    assert response.status_code == 302
    statements = []
    for query in queries.captured_queries:
        table = re.search(r'(?:FROM|INTO|UPDATE) "(\w+)"', query["sql"])
        if table:
            statements.append(f"{query['sql'].split()[0]} {table.group(1)}")
    assert statements == [
        "DELETE captcha_captchastore",  # the expired ones (then, outside the test
        "SELECT captcha_captchastore",  # mode, the answer's row is deleted too)
        "SELECT accounts_user",  # once, for the login service and the backend
        "UPDATE accounts_user",  # last_login
        "SELECT accounts_user",  # a staff role or an authenticator: one query
        "INSERT django_session",  # once, under the new key, when the request ends
    ], "\n".join(q["sql"] for q in queries.captured_queries)
