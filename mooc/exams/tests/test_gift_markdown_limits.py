"""Finding F5 of issue 14: [markdown] text nested too deeply (or far too long) fails its
question with a reason instead of recursing for half a minute and raising."""

from __future__ import annotations

from pathlib import Path

import pytest

from mooc.core.markup import MAX_MARKDOWN_DEPTH, markdown_depth, markdown_render
from mooc.exams.formats.gift import MAX_MARKDOWN_CHARS, parse_gift

pytestmark = pytest.mark.usefixtures("english")


def nested_list(levels: int) -> str:
    """A list nested `levels` deep, one tab per level, written on one GIFT line with
    `\\n` escapes (GIFT trims lines, not what is inside them)."""
    return "\\n".join("\t" * level + "- x" for level in range(levels))


def test_a_deeply_nested_markdown_list_fails_its_question_only() -> None:
    gift = (
        "::dalam::[markdown]" + nested_list(420) + "{=ya ~tidak}\n\n"
        "::biasa::[markdown]Pilih **satu**:{=ya ~tidak}\n"
    )

    result = parse_gift(gift)

    assert [q.title for q in result.questions] == ["biasa"]
    (issue,) = result.issues
    assert issue.kind == "failed" and issue.name == "dalam"
    assert "nested too deeply" in issue.reason and str(MAX_MARKDOWN_DEPTH) in issue.reason


def test_a_markdown_text_far_longer_than_a_question_fails() -> None:
    long_text = "kata " * (MAX_MARKDOWN_CHARS // 4)
    (issue,) = parse_gift("[markdown]" + long_text + "{=ya ~tidak}").issues

    assert issue.kind == "failed" and "too long" in issue.reason


def test_ordinary_nesting_still_renders() -> None:
    text = "- satu\n    - dua\n        - tiga\n\n> kutipan\n> > dalam"
    assert markdown_depth(text) == 3
    assert markdown_render(text).count("<ul>") == 3


@pytest.mark.django_db
def test_a_package_body_nested_too_deeply_is_a_report_error(tmp_path: Path) -> None:
    from mooc.packages.importer import course_package_import
    from mooc.packages.tests.helpers import manifest, write_package

    data = manifest()
    data["sections"][0]["materials"][0] = {"id": "x", "title": "X", "body_file": "materi/x.md"}
    body = "\n".join("\t" * level + "- x" for level in range(420)).encode()
    package = write_package(tmp_path / "paket", data, {"materi/x.md": body})

    report = course_package_import(source=package)

    assert not report.committed
    assert any(
        error.file == "materi/x.md" and "nested too deeply" in error.message
        for error in report.errors
    ), [str(error) for error in report.errors]
