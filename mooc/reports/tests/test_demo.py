"""`make run`'s demo data gives every report something real to show."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mooc.accounts.models import User
from mooc.reports.demo import VIEWER_PASSWORD, VIEWER_USERNAME
from mooc.reports.models import ExternalTraining

pytestmark = pytest.mark.django_db


def test_every_report_has_rows_after_load_demo(client: Client, demo_content: None) -> None:
    client.force_login(User.objects.get(username="admin"))

    summary = client.get(reverse("reports:summary")).context["summary"]
    units = client.get(reverse("reports:units")).context["report_data"]
    below = client.get(reverse("reports:below_target")).context["page"]
    courses = client.get(reverse("reports:courses")).context["courses"]

    assert summary.completions > 0 and summary.jp_delivered > 0 and summary.active_this_month > 0
    assert sum(completions for _m, completions, _p in summary.months) > 0
    assert units.total.staff > 0 and len(units.total.children) > 1
    assert below.paginator.count > 0
    assert all(course.enrolled > 0 for course in courses)
    assert ExternalTraining.objects.filter(user__username="198609262015051001").exists()


def test_the_demo_report_viewer_logs_in_and_sees_one_regional_office(
    client: Client, demo_content: None
) -> None:
    viewer = User.objects.get(username=VIEWER_USERNAME)
    assert viewer.check_password(VIEWER_PASSWORD)
    client.force_login(viewer)

    units = client.get(reverse("reports:units")).context["report_data"]

    assert units.total.unit.code == "KW-JABAR" and units.total.staff > 0


def test_load_demo_twice_adds_nothing(demo_content: None) -> None:
    from django.core.management import call_command

    before = (User.objects.count(), ExternalTraining.objects.count())
    call_command("load_demo", allow_production=True, verbosity=0)

    assert (User.objects.count(), ExternalTraining.objects.count()) == before
