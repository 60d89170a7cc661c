"""Factories for the accounts models: the people and units every other app's tests build."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import factory
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from mooc.accounts.models import EmployeeType, Unit, User
from mooc.accounts.roles import ROLE_ADMIN, ROLE_CONTENT_ADMIN, ROLE_INSTRUCTOR, roles_sync

if TYPE_CHECKING:
    from mooc.catalog.models import Course

PASSWORD = "Rahasia123"
NIP = "198609262015051001"


def nip(serial: int) -> str:
    """A well-formed PNS NIP whose last three digits are `serial`."""
    return f"19860926201505{1 + serial // 1000}{serial % 1000:03d}"


def permissions(*names: str) -> list[Permission]:
    """The permissions named "app_label.codename"."""
    found = []
    for name in names:
        app_label, codename = name.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


class UnitFactory(factory.django.DjangoModelFactory[Unit]):
    """A unit of the tree: a root unless `parent` is given (treebeard builds the path)."""

    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"UNIT-{n}")
    name = factory.Sequence(lambda n: f"Unit {n}")

    @classmethod
    def _create(cls, model_class: type[Unit], *args: Any, **kwargs: Any) -> Unit:
        parent: Unit | None = kwargs.pop("parent", None)
        if parent is None:
            return model_class.objects.add_root(kwargs)  # type: ignore[no-any-return]
        return model_class.objects.add_child(parent, kwargs)  # type: ignore[no-any-return]


def unit_tree() -> tuple[Unit, Unit, Unit]:
    """Kementerian → Kanwil Jawa Barat → UPT Bandung."""
    root = UnitFactory.create(code="KEM", name="Kementerian Demo")
    kanwil = UnitFactory.create(parent=root, code="KW-JABAR", name="Kantor Wilayah Jawa Barat")
    upt = UnitFactory.create(parent=kanwil, code="UPT-BDG", name="UPT Bandung")
    return root, kanwil, upt


def _groups_add(user: User, create: bool, extracted: Iterable[str] | None, **_: Any) -> None:
    for name in extracted or ():
        group, _created = Group.objects.get_or_create(name=name)
        user.groups.add(group)


def _instructor_group_add(
    user: User, create: bool, extracted: Iterable[str] | None, **_: Any
) -> None:
    group, _created = Group.objects.get_or_create(name=ROLE_INSTRUCTOR)
    user.groups.add(group)


def _instructor_permissions_add(
    user: User, create: bool, extracted: Sequence[str] | None, **_: Any
) -> None:
    Group.objects.get(name=ROLE_INSTRUCTOR).permissions.add(*permissions(*(extracted or ())))


def _courses_staff_add(
    user: User, create: bool, extracted: Iterable[Course] | None, **_: Any
) -> None:
    for course in extracted or ():
        course.staff.add(user)


def _role_add(role: str) -> Callable[..., None]:
    def add(user: User, create: bool, extracted: object, **_: Any) -> None:
        roles_sync()
        user.groups.add(Group.objects.get(name=role))

    return add


class UserFactory(factory.django.DjangoModelFactory[User]):
    """An activated internal employee who can sign in with `PASSWORD`.

    `staff=True` makes a staff account, `internal=False` an external one,
    `activated=False` one that has not confirmed its e-mail, and `groups` puts it in
    the named groups (made if missing)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        internal = True
        activated = True
        staff = False

    # Internal employees sign in with their NIP; this birth date is not one the tests
    # write out (`NIP`, `nip()`), so a made-up user never takes a test's number.
    username: Any = factory.Sequence(lambda n: f"19900101201901{1 + n // 1000}{n % 1000:03d}")
    full_name: Any = factory.LazyAttribute(lambda o: f"Peserta {o.username}")
    email: Any = factory.LazyAttribute(lambda o: f"{o.username.lower()}@example.go.id")
    password = PASSWORD
    employee_type = factory.LazyAttribute(
        lambda o: EmployeeType.INTERNAL if o.internal else EmployeeType.EXTERNAL
    )
    activated_at = factory.LazyAttribute(lambda o: timezone.now() if o.activated else None)
    is_staff = factory.SelfAttribute("staff")
    groups: Any = factory.PostGeneration(_groups_add)

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        return model_class.objects.create_user(*args, **kwargs)


class SuperuserFactory(UserFactory):
    """A superuser, as `createsuperuser` makes one: an external account by the model's
    default, since an operator's login is no employee's NIP."""

    class Params:
        internal = False

    username = "admin"
    full_name = "Admin"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = "x"

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        kwargs.pop("is_staff", None)
        return model_class.objects.create_superuser(*args, **kwargs)


class InstructorFactory(UserFactory):
    """A staff account in the Instruktur group, on the staff of `courses`; the group
    is granted `permissions` ("app_label.codename") — each admin area names what its
    pages need."""

    class Params:
        staff = True

    groups = factory.PostGeneration(_instructor_group_add)
    permissions = factory.PostGeneration(_instructor_permissions_add)
    courses = factory.PostGeneration(_courses_staff_add)


class AdminFactory(UserFactory):
    """A staff account in the admin role, with the permissions `roles_sync()` gives it."""

    class Params:
        staff = True

    username = "bpsdm"
    groups = factory.PostGeneration(_role_add(ROLE_ADMIN))


class ContentAdminFactory(UserFactory):
    """A staff account in the content admin role, with the permissions `roles_sync()`
    gives it."""

    class Params:
        staff = True

    username = "konten"
    groups = factory.PostGeneration(_role_add(ROLE_CONTENT_ADMIN))
