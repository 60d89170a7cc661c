from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from mooc.accounts.models import EmployeeType, Unit, User
from mooc.accounts.services.registration import Registration, user_register
from mooc.accounts.tests.factories import NIP
from mooc.core.errors import ServiceError

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_two_registrations_of_one_nip_at_the_same_moment_create_one_account(unit: Unit) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections (PostgreSQL)")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def register(email: str) -> None:
        try:
            barrier.wait()
            user_register(
                registration=Registration(
                    employee_type=EmployeeType.INTERNAL,
                    username=NIP,
                    full_name="Budi",
                    email=email,
                    phone="081234567890",
                    jabatan="Staf",
                    password="Rahasia123",
                    unit=unit,
                )
            )
            outcomes.append("created")
        except ServiceError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=register, args=(f"budi{i}@example.go.id",)) for i in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["created", "nip_taken"]
    assert User.objects.filter(username=NIP).count() == 1
