"""The four roles of the specification, as Django groups with model permissions.

Roles are picked by app label, so the apps still to come (catalog, learning,
exams, certificates, reports) join their roles the first time `migrate` runs
after they are installed, with nothing to edit here.

Roles only grow: a permission an administrator added to a group by hand
survives the next deploy. Taking a permission away from a role is a data
migration, deliberately.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

ROLE_ADMIN = "Admin"
ROLE_CONTENT_ADMIN = "Admin Konten"
ROLE_INSTRUCTOR = "Instruktur"
ROLE_REPORT_VIEWER = "Pelihat Laporan"
ROLES = (ROLE_ADMIN, ROLE_CONTENT_ADMIN, ROLE_INSTRUCTOR, ROLE_REPORT_VIEWER)

# Every app of the project, including those not written yet.
PROJECT_APP_LABELS = (
    "core",
    "accounts",
    "content",
    "catalog",
    "learning",
    "exams",
    "evaluation",
    "certificates",
    "privacy",
    "reports",
)
# The apps whose models content admins author.
CONTENT_APP_LABELS = ("content", "catalog", "learning", "exams", "evaluation")
# Instructors see the information pages, and edit their own courses: these model
# permissions are narrowed to the courses whose staff they are by the object-level
# rule in mooc.catalog.permissions (can_edit_course), which every course, section,
# material, attachment and enrolment admin applies.
INSTRUCTOR_VIEW_APP_LABELS = ("content",)
INSTRUCTOR_COURSE_PERMISSIONS = (
    ("catalog", "view_course"),
    ("catalog", "change_course"),
    ("catalog", "view_enrollment"),
    ("catalog", "add_enrollment"),
    *(
        ("learning", f"{action}_{model}")
        for action in ("view", "add", "change", "delete")
        for model in ("section", "material", "attachment")
    ),
    *(
        ("exams", f"{action}_{model}")
        for action in ("view", "add", "change", "delete")
        for model in ("question", "questioncategory", "option")
    ),
    # Their exams' settings and attempts: view, and extra time. Resetting an
    # attempt (deleting it) stays with the managers.
    ("exams", "view_exam"),
    ("exams", "change_exam"),
    ("exams", "view_attempt"),
    ("exams", "change_attempt"),
    # Their courses' certificates: see them and download them in a zip. Corrections
    # and revocation stay with the admins.
    ("certificates", "view_certificate"),
    ("certificates", "view_certificateversion"),
    ("certificates", "view_certificateexport"),
    ("certificates", "add_certificateexport"),
)


def _any_of(pairs: tuple[tuple[str, str], ...]) -> Q:
    query = Q(pk__in=[])
    for app_label, codename in pairs:
        query |= Q(content_type__app_label=app_label, codename=codename)
    return query


def _role_permissions() -> dict[str, Q]:
    return {
        # Admins assign roles but cannot edit what a role may do (auth.change_group
        # is superuser business), or they could grant themselves anything.
        ROLE_ADMIN: Q(content_type__app_label__in=PROJECT_APP_LABELS)
        | Q(content_type__app_label="auth", codename="view_group"),
        ROLE_CONTENT_ADMIN: Q(content_type__app_label__in=CONTENT_APP_LABELS)
        & (
            Q(codename__startswith="add_")
            | Q(codename__startswith="change_")
            | Q(codename__startswith="delete_")
            | Q(codename__startswith="view_")
        ),
        ROLE_INSTRUCTOR: Q(
            content_type__app_label__in=INSTRUCTOR_VIEW_APP_LABELS, codename__startswith="view_"
        )
        | _any_of(INSTRUCTOR_COURSE_PERMISSIONS),
        # Reports arrive with the reports app; until then, who is in which unit.
        ROLE_REPORT_VIEWER: Q(content_type__app_label="accounts", codename="view_unit")
        | Q(content_type__app_label="accounts", codename="view_user")
        | Q(content_type__app_label="reports", codename__startswith="view_"),
    }


@transaction.atomic
def roles_sync() -> None:
    """Create the role groups and give them every matching permission that exists.

    Idempotent and cheap: safe to run after every migration.
    """
    for name, permissions in _role_permissions().items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(permissions))
