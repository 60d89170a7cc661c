"""The staff report pages: parse the filters, call a selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mooc.accounts.models import User
from mooc.reports.charts import bar_chart
from mooc.reports.selectors.courses import course_list, course_report
from mooc.reports.selectors.learners import BelowTarget, learner_list, learner_report
from mooc.reports.selectors.summary import summary_get
from mooc.reports.selectors.units import unit_report
from mooc.reports.views.common import PAGE_SIZE, filters_from, page_context, viewer_scope

MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


@require_safe
@login_required
def summary(request: HttpRequest) -> HttpResponse:
    scope = viewer_scope(request)
    if not scope.sees_units:
        return redirect("reports:courses")
    form, filters = filters_from(
        request,
        scope,
        "year",
        "date_from",
        "date_to",
        "unit",
        "course",
        "category",
        "employee_type",
    )
    data = summary_get(filters=filters)
    chart = bar_chart(
        "completions",
        _("Completions per month, %(year)s") % {"year": filters.year},
        [(MONTHS[month.month - 1], completions) for month, completions, _p in data.months],
    )
    context = page_context(request, form, filters, summary=data, chart=chart, report="summary")
    return render(request, "reports/summary.html", context)


@require_safe
@login_required
def courses(request: HttpRequest) -> HttpResponse:
    scope = viewer_scope(request)
    form, filters = filters_from(
        request, scope, "date_from", "date_to", "year", "category", "unit", "employee_type"
    )
    rows = list(course_list(filters=filters))
    context = page_context(request, form, filters, courses=rows, report="courses")
    return render(request, "reports/courses.html", context)


@require_safe
@login_required
def course(request: HttpRequest, course_id: int) -> HttpResponse:
    scope = viewer_scope(request)
    found = scope.course_or_404(course_id)
    form, filters = filters_from(
        request, scope, "date_from", "date_to", "year", "unit", "employee_type"
    )
    data = course_report(course=found, filters=filters)
    charts = [
        bar_chart("scores", _("Score distribution"), data.distribution),
        bar_chart("funnel", _("From enrolment to pass"), data.funnel),
    ]
    context = page_context(
        request, form, filters, course=found, report_data=data, charts=charts, report="course"
    )
    context["params"] = {**context["params"], "id": str(found.pk)}
    return render(request, "reports/course.html", context)


@require_safe
@login_required
def units(request: HttpRequest) -> HttpResponse:
    scope = viewer_scope(request)
    scope.require_units()
    form, filters = filters_from(
        request, scope, "year", "date_from", "date_to", "unit", "employee_type"
    )
    data = unit_report(filters=filters)
    chart = bar_chart(
        "unit-below",
        _("Staff below the target per sub-unit"),
        [
            (figures.unit.code if figures.unit else "", figures.below)
            for figures in data.total.children
        ][:24],
    )
    context = page_context(request, form, filters, report_data=data, chart=chart, report="units")
    return render(request, "reports/units.html", context)


@require_safe
@login_required
def learners(request: HttpRequest) -> HttpResponse:
    scope = viewer_scope(request)
    scope.require_units()
    form, filters = filters_from(request, scope, "year", "unit", "course", "employee_type", "q")
    page = Paginator(learner_list(filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    page_range = page.paginator.get_elided_page_range(page.number)
    context = page_context(
        request, form, filters, page=page, page_range=page_range, report="learners"
    )
    return render(request, "reports/learners.html", context)


@require_safe
@login_required
def below_target(request: HttpRequest) -> HttpResponse:
    scope = viewer_scope(request)
    scope.require_units()
    form, filters = filters_from(request, scope, "year", "unit", "employee_type", "q")
    below: Any = BelowTarget(filters)  # a count and slices: all a Paginator needs
    page = Paginator[User](below, PAGE_SIZE).get_page(request.GET.get("page"))
    page_range = page.paginator.get_elided_page_range(page.number)
    context = page_context(
        request, form, filters, page=page, page_range=page_range, report="below_target"
    )
    return render(request, "reports/below_target.html", context)


@require_safe
@login_required
def learner(request: HttpRequest, user_id: int) -> HttpResponse:
    scope = viewer_scope(request)
    found = scope.learner_or_404(user_id)
    form, filters = filters_from(request, scope, "year")
    data = learner_report(learner=found)
    chart = bar_chart(
        "learner-jp",
        _("JP per year"),
        [(str(year.year), year.jp) for year in reversed(data.years)][-8:],
    )
    context = page_context(
        request, form, filters, learner=found, report_data=data, chart=chart, report="learner"
    )
    context["params"] = {**context["params"], "id": str(found.pk)}
    return render(request, "reports/learner.html", context)
