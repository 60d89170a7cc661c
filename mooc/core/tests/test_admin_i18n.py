"""The admin speaks Indonesian: every page of every app's admin (the index, each model's
list, add form and one change form, with the demo content) shows no text that is an
English UI string (a msgid of Django, a library or this project) left untranslated.

How a leak is recognised: a text on the page (a text node, a button's value, a title,
placeholder or aria-label) that is a known English msgid — one of the catalogs' source
strings — and has no entry in the Indonesian catalog. Words spelt alike in both
languages ("Status", "Video") have an Indonesian entry, so they do not count."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import trans_real

from mooc.accounts.tests.factories import SuperuserFactory

pytestmark = pytest.mark.django_db

_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
# English that is no msgid of any catalogue, found on these pages before (issue 17):
# permission names stored in English by the migrations, django-axes' app name.
_KNOWN_LEAKS = re.compile(r"\bCan (add|change|delete|view) |\bAxes\b")


class _Texts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "textarea"):
            self._skip += 1
        values = dict(attrs)
        for name in _ATTRIBUTES:
            if values.get(name):
                self.texts.append(str(values[name]))
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.texts.append(str(values["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "textarea"):
            self._skip = max(self._skip - 1, 0)

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(data)


def _keys(catalog: Any) -> set[str]:
    keys: set[str] = set()
    for key in catalog.keys():  # noqa: SIM118 (a TranslationCatalog, not a dict)
        text = key[0] if isinstance(key, tuple) else key
        keys.add(text.split("\x04", 1)[-1])  # without a msgctxt
    return keys


def _catalog(language: str) -> Any:
    """All the catalogues Django merged for `language` (apps, libraries, LOCALE_PATHS)."""
    merged: Any = trans_real.translation(language)
    return merged._catalog


def _english_msgids() -> set[str]:
    """Source strings of every catalog: Django's, the libraries' (German is the one
    language they all ship) and this project's."""
    ids = _keys(_catalog("de")) | _keys(_catalog("en"))
    # Too short or too generic to tell a language by.
    return {i for i in ids if re.search(r"[A-Za-z]{2}", i) and "%" not in i and "{" not in i}


def _normalised(text: str) -> str:
    return " ".join(text.split()).strip(" :")


def _admin_urls(client: Client) -> list[str]:
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        app = reverse("admin:app_list", args=[info[0]])
        if app not in urls:
            urls.append(app)
        for name in ("changelist", "add"):
            try:
                urls.append(reverse(f"admin:{info[0]}_{info[1]}_{name}"))
            except NoReverseMatch:
                continue
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"admin:{info[0]}_{info[1]}_change", args=[first.pk]))
        del model_admin
    return urls


def test_no_admin_page_shows_an_untranslated_english_string(
    client: Client, demo_content: None
) -> None:
    english = _english_msgids()
    indonesian = _keys(_catalog("id"))
    superuser = SuperuserFactory.create(username="root")
    client.force_login(superuser)
    leaks: dict[str, set[str]] = {}
    with translation.override("id"):
        for url in _admin_urls(client):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="id")
            if response.status_code != 200:
                continue  # a redirect (a single-row model) or an add page that is refused
            parser = _Texts()
            parser.feed(response.content.decode())
            for text in map(_normalised, parser.texts):
                if (text in english and text not in indonesian) or _KNOWN_LEAKS.search(text):
                    leaks.setdefault(text, set()).add(url)
    report = "\n".join(f"{text!r}: {sorted(urls)[:3]}" for text, urls in sorted(leaks.items()))
    assert not leaks, f"English on the Indonesian admin:\n{report}"


def test_the_admins_javascript_strings_are_indonesian_and_spelt_right(client: Client) -> None:
    """The selector widget's help ("Pindahkan%s", "Choose"/"Remove" left in English in
    Django's own Indonesian catalogue) comes from ours."""
    client.force_login(SuperuserFactory.create(username="root"))

    body = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="id").content.decode()

    assert "Pilih %s yang diinginkan" in body
    assert "Pindahkan%s" not in body and 'panah \\"Choose' not in body
    assert "Pilih semua" in body  # Django's own entries are still there


def test_permissions_are_named_in_the_readers_language(client: Client) -> None:
    from django.contrib.auth.models import Group

    client.force_login(SuperuserFactory.create(username="root"))
    group = Group.objects.create(name="Uji")

    with translation.override("id"):
        page = client.get(
            reverse("admin:auth_group_change", args=[group.pk]), HTTP_ACCEPT_LANGUAGE="id"
        ).content.decode()

    assert "Dapat mengubah ujian" in page
    assert "Can change exam" not in page
