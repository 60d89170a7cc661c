"""Indonesian is what users see: every UI string is translated and nothing English leaks."""

from __future__ import annotations

import html
import re
from pathlib import Path

import polib  # type: ignore[import-untyped]  # polib ships no type information
import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]  # mooc/
CATALOGUE = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
PUBLIC_PAGES = ["/", "/berita/", "/faq/", "/faq/?q=sertifikat", "/video-tutorial/"]

TEMPLATE_LITERAL = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.+?)\1""")
PYTHON_LITERAL = re.compile(
    r"""\b(?:_|gettext|gettext_lazy|gettext_noop)\(\s*(["'])((?:(?!\1).)+)\1\s*\)"""
)


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(CATALOGUE))


def test_every_indonesian_entry_is_translated(catalogue: polib.POFile) -> None:
    missing = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
    assert missing == [], f"untranslated or fuzzy (run `make messages`): {missing}"


def test_the_compiled_catalogue_matches_its_source(catalogue: polib.POFile) -> None:
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    source = {(e.msgctxt, e.msgid): e.msgstr for e in catalogue if e.translated()}
    built = {(e.msgctxt, e.msgid): e.msgstr for e in compiled if e.msgid}
    assert built == source, "django.mo is stale: run `make messages`"


def test_every_literal_ui_string_in_the_code_is_in_the_catalogue(catalogue: polib.POFile) -> None:
    known = {e.msgid for e in catalogue}
    found: set[str] = set()
    for path in ROOT.rglob("*.html"):
        found |= {m.group(2) for m in TEMPLATE_LITERAL.finditer(path.read_text(encoding="utf-8"))}
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        found |= {m.group(2) for m in PYTHON_LITERAL.finditer(path.read_text(encoding="utf-8"))}
    # Templates' literals are looked up with "%" doubled (Django's templatize does so).
    missing = sorted(
        s
        for s in found
        if s not in known
        and s.replace("%", "%%") not in known
        and s.encode().decode("unicode_escape") not in known
    )
    assert missing == [], f"not in the catalogue (run `make messages`): {missing}"


def visible_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<[^>]+>", " ", page)
    return " ".join(html.unescape(page).split())


@pytest.mark.django_db
def test_indonesian_pages_show_no_english_ui_strings(
    client: Client, catalogue: polib.POFile, demo_content: None
) -> None:
    english = [
        e.msgid
        for e in catalogue
        if e.translated() and e.msgstr != e.msgid and "%" not in e.msgid and len(e.msgid) > 3
    ]
    from mooc.content.selectors import news_latest

    pages = [*PUBLIC_PAGES, news_latest(limit=1)[0].get_absolute_url()]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        leaked = [s for s in english if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text)]
        assert leaked == [], f"English on the Indonesian page {url}: {leaked}"
