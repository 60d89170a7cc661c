"""Catalogue, course detail, enrolling, favourites, Beranda and my courses."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/dashboard.html", {"me": request.user})
