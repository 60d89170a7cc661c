"""A course's evaluation report and its pre-/post-test report."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mooc.reports.charts import bar_chart
from mooc.reports.forms import ReportFilterForm
from mooc.reports.selectors.evaluation import evaluation_report, gain_report
from mooc.reports.selectors.filters import ReportFilter
from mooc.reports.selectors.scope import Scope
from mooc.reports.views.common import filters_from, page_context, viewer_scope


def _unfiltered(request: HttpRequest, scope: Scope) -> tuple[ReportFilterForm, ReportFilter]:
    """These reports cover every run of the course (the trend splits them by year), so
    the filter form has no fields; the scope still applies."""
    form, filters = filters_from(request, scope, "year")
    form.fields.clear()
    return form, filters


@require_safe
@login_required
def course_evaluation(request: HttpRequest, course_id: int) -> HttpResponse:
    scope = viewer_scope(request)
    found = scope.course_or_404(course_id)
    form, filters = _unfiltered(request, scope)
    data = evaluation_report(course=found)
    group_chart = (
        bar_chart(
            "groups",
            _("Mean per group (1–5)"),
            [(group.title, round(group.mean or 0, 2)) for group in data.groups],
        )
        if data.groups
        else None
    )
    context = page_context(
        request,
        form,
        filters,
        course=found,
        report_data=data,
        group_chart=group_chart,
        report="evaluation",
    )
    context["params"] = {**context["params"], "id": str(found.pk)}
    return render(request, "reports/evaluation.html", context)


@require_safe
@login_required
def course_gain(request: HttpRequest, course_id: int) -> HttpResponse:
    scope = viewer_scope(request)
    found = scope.course_or_404(course_id)
    form, filters = _unfiltered(request, scope)
    data = gain_report(course=found, anonymous_label=_("Learner %(n)d"))
    charts = []
    if not data.counts_only and data.paired:
        charts = [
            bar_chart(
                "prepost",
                _("Mean score: pre-test and final test"),
                [
                    (_("Pre-test"), round(data.mean_pre or 0, 1)),
                    (_("Final test"), round(data.mean_post or 0, 1)),
                ],
            ),
            bar_chart("hake", _("Learners by normalized gain"), data.hake_bands()),
        ]
    context = page_context(
        request, form, filters, course=found, report_data=data, charts=charts, report="gain"
    )
    context["params"] = {**context["params"], "id": str(found.pk)}
    return render(request, "reports/gain.html", context)
