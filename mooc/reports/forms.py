from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from mooc.accounts.models import EmployeeType, Unit
from mooc.catalog.models import Category, Course
from mooc.core.timezones import local_year
from mooc.reports.models import EVIDENCE_MAX_BYTES
from mooc.reports.selectors.filters import ReportFilter
from mooc.reports.selectors.ledger import YEAR_MAX, YEAR_MIN
from mooc.reports.selectors.scope import Scope


class _IdField(forms.IntegerField):
    """An id picked from a list; the view's scope decides whether it exists (404)."""

    widget = forms.Select


class ReportFilterForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        error_messages={
            "min_value": _("Choose a year from 2000 to 2100."),
            "max_value": _("Choose a year from 2000 to 2100."),
            "invalid": _("Choose a year from 2000 to 2100."),
        },
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    unit = _IdField(label=_("Unit (with sub-units)"), required=False)
    course = _IdField(label=_("Course"), required=False)
    category = _IdField(label=_("Category"), required=False)
    employee_type = forms.ChoiceField(
        label=_("Employee type"),
        required=False,
        choices=[("", _("All")), *EmployeeType.choices],
    )
    q = forms.CharField(label=_("Name or NIP"), required=False, max_length=100)

    def __init__(self, data: Any, *, scope: Scope, fields: tuple[str, ...] = ()) -> None:
        if "year" not in data:
            data = data.copy()
            data["year"] = str(local_year())
        super().__init__(data)
        self.scope = scope
        for name in list(self.fields):
            if fields and name not in fields:
                del self.fields[name]
        if "unit" in self.fields:
            units = scope.units(Unit.objects.order_by("path")).only("pk", "name", "depth")
            self.fields["unit"].widget.choices = [("", _("All"))] + [
                (unit.pk, "\u2003" * max(0, unit.depth - 1) + unit.name) for unit in units
            ]
        if "course" in self.fields:
            courses = scope.courses(Course.objects.order_by("title")).only("pk", "title")
            self.fields["course"].widget.choices = [("", _("All"))] + [
                (course.pk, course.title) for course in courses
            ]
        if "category" in self.fields:
            self.fields["category"].widget.choices = [("", _("All"))] + [
                (category.pk, category.name) for category in Category.objects.all()
            ]

    def clean_unit(self) -> Unit | None:
        unit_id = self.cleaned_data.get("unit")
        if unit_id is None:
            return None
        return self.scope.unit_or_404(unit_id)

    def clean_course(self) -> Course | None:
        course_id = self.cleaned_data.get("course")
        return None if course_id is None else self.scope.course_or_404(course_id)

    def clean_category(self) -> Category | None:
        category_id = self.cleaned_data.get("category")
        if category_id is None:
            return None
        category = Category.objects.filter(pk=category_id).first()
        if category is None:
            raise Http404
        return category

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        for name in ("date_from", "date_to"):
            day = data.get(name)
            if day and not YEAR_MIN <= day.year <= YEAR_MAX:
                self.add_error(name, _("Choose a date from 2000 to 2100."))
        return data

    def report_filter(self) -> ReportFilter:
        """The filters (the defaults where the form is invalid: the page still shows)."""
        data = self.cleaned_data if self.is_valid() else {}
        return ReportFilter(
            scope=self.scope,
            year=data.get("year") or local_year(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            course=data.get("course"),
            category=data.get("category"),
            unit=data.get("unit"),
            employee_type=data.get("employee_type") or "",
            q=(data.get("q") or "").strip(),
        )


class ExternalTrainingForm(forms.Form):
    title = forms.CharField(label=_("Training title"), max_length=300)
    organiser = forms.CharField(label=_("Organiser"), max_length=300)
    starts_on = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}))
    jp = forms.IntegerField(
        label=_("JP"),
        min_value=1,
        max_value=1000,
        error_messages={"min_value": _("JP must be more than 0.")},
    )
    certificate_number = forms.CharField(
        label=_("Certificate number"), max_length=100, required=False
    )
    evidence = forms.FileField(
        label=_("Evidence (PDF, JPG or PNG)"),
        help_text=_("At most %(mb)s MB.") % {"mb": EVIDENCE_MAX_BYTES // 2**20},
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end date is before the start date."))
        return data


class SiasnExportForm(forms.Form):
    date_from = forms.DateField(
        label=_("Passed from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Passed until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    unit = _IdField(label=_("Unit (with sub-units)"), required=False)
    only_new = forms.BooleanField(
        label=_("Only rows not exported before"), required=False, initial=True
    )
    fmt = forms.ChoiceField(
        label=_("File"),
        choices=[
            ("xlsx", "XLSX"),
            ("csv", "CSV"),
            ("jsonl", _("JSON lines (the web service's payload)")),
            ("zip", _("Zip: rows and certificate PDFs")),
        ],
        initial="xlsx",
    )

    def __init__(self, data: Any, *, scope: Scope) -> None:
        super().__init__(data)
        self.scope = scope
        units = scope.units(Unit.objects.order_by("path")).only("pk", "name", "depth")
        self.fields["unit"].widget.choices = [("", _("All"))] + [
            (unit.pk, "\u2003" * max(0, unit.depth - 1) + unit.name) for unit in units
        ]

    def clean_unit(self) -> Unit | None:
        unit_id = self.cleaned_data.get("unit")
        if unit_id is None:
            return None
        return self.scope.unit_or_404(unit_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        for name in ("date_from", "date_to"):
            day: dt.date | None = data.get(name)
            if day and not YEAR_MIN <= day.year <= YEAR_MAX:
                self.add_error(name, _("Choose a date from 2000 to 2100."))
        return data
