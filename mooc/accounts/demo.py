"""Demo accounts. Their passwords are public by design: `load_demo` refuses to
run with DEBUG off, so they never reach a production database."""

from __future__ import annotations

from dataclasses import dataclass

from mooc.accounts.models import User


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str
    full_name: str
    email: str
    is_superuser: bool = False


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        role="Admin BPSDM",
        username="admin",
        password="AdminDemo2026",  # noqa: S106 - public demo password
        full_name="Admin BPSDM",
        email="admin@bpsdm.example.go.id",
        is_superuser=True,
    ),
)


def load() -> None:
    for login in DEMO_LOGINS:
        user = User.objects.filter(username=login.username).first()
        if user is None:
            user = User(username=login.username)
        user.full_name = login.full_name
        user.email = login.email
        user.is_active = True
        user.is_staff = login.is_superuser
        user.is_superuser = login.is_superuser
        user.set_password(login.password)
        user.save()
