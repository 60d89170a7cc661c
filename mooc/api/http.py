"""Pagination and conditional GET (ETag / If-None-Match) for the API."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any, TypeVar

from django.core.paginator import EmptyPage, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import BaseModel

from mooc.api.problems import ApiProblem

M = TypeVar("M", bound=Model)

MAX_PAGE_SIZE = 50


class PageInfo(Schema):
    page: int
    page_size: int
    count: int
    num_pages: int
    has_next: bool


def paginate(
    items: QuerySet[M] | Sequence[M], *, page: int, page_size: int
) -> tuple[list[M], PageInfo]:
    """One page of `items`; a page past the end is a 404 problem."""
    paginator = Paginator(items, page_size)
    try:
        current = paginator.page(page)
    except EmptyPage:
        if page == 1:
            return [], PageInfo(page=1, page_size=page_size, count=0, num_pages=1, has_next=False)
        raise ApiProblem(404, "no_such_page", _("Not found.")) from None
    return list(current.object_list), PageInfo(
        page=page,
        page_size=page_size,
        count=paginator.count,
        num_pages=paginator.num_pages,
        has_next=current.has_next(),
    )


def _body(data: BaseModel | dict[str, Any]) -> bytes:
    if isinstance(data, BaseModel):
        return data.model_dump_json(by_alias=True).encode()
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


def conditional(request: HttpRequest, data: BaseModel | dict[str, Any]) -> HttpResponse:
    """The JSON of `data` with a strong ETag over its bytes; 304 when the client's
    If-None-Match already names it (a phone on a slow link downloads nothing again).
    Private: the answer may hold the learner's own progress."""
    body = _body(data)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    wanted = request.META.get("HTTP_IF_NONE_MATCH", "")
    tags = {tag.strip().removeprefix("W/") for tag in wanted.split(",")} if wanted else set()
    if etag in tags or "*" in tags:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Authorization", "Accept-Language"])
    return response
