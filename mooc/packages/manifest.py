"""From `course.yaml` to a checked plan of what the course should look like.

Three rounds, all before anything is written: the text must decode (UTF-8 with
or without BOM, any line ends) and parse as YAML; the data must fit the schema
(`mooc.packages.schema`); then the rules a schema cannot express are
checked (files exist and are what they claim, ids are unique, dates run
forward, question files parse without a failed question). Every problem is
collected, so one report lists them all.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import posixpath
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import unescape
from typing import Any
from urllib.parse import unquote

import yaml
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_stubs_ext import StrOrPromise
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from mooc.catalog.models import Level
from mooc.catalog.uploads import (
    IMAGE_MAX_BYTES,
    attachment_validate,
    cover_image_clean,
    image_clean,
    instructor_photo_clean,
    video_validate,
)
from mooc.core.errors import ServiceError
from mooc.core.markup import MarkdownTooComplex, markdown_render
from mooc.core.sanitize import sanitize_html
from mooc.exams.formats import ParsedQuestion, ParseResult
from mooc.exams.services.banks import question_file_parse, question_options_validate
from mooc.packages.report import PackageReport
from mooc.packages.schema import (
    COURSE_PACKAGE_SCHEMA,
    FORMAT_VERSION,
    QUESTION_FORMATS,
    RESERVED_TOP_LEVEL_KEYS,
)
from mooc.packages.source import (
    MANIFEST_NAME,
    Entry,
    Limits,
    MissingFile,
    PackageSource,
    RefError,
)

Path_ = Sequence[str | int]

# Rich text files: suffix → is it Markdown?
TEXT_SUFFIXES = {"md": True, "markdown": True, "html": False, "htm": False}
# Aliases can make a small YAML file expand into millions of nodes.
MAX_NODES = 100_000
_H1 = re.compile(r"<(/?)h1(\s|>)", re.IGNORECASE)
_MARKDOWN_EXTENSIONS = ["extra", "sane_lists"]
TOO_COMPLEX = gettext_lazy(
    "The manifest is too complex: too large, too deeply nested or with too many aliases."
)


@dataclass
class ImagePlan:
    entry: Entry
    raw: bytes  # as in the package: an export carries our own re-encoded file
    content: bytes  # re-encoded, what is stored when the image is new
    extension: str


@dataclass
class AttachmentPlan:
    title: str
    entry: Entry


@dataclass
class MaterialPlan:
    key: str
    title: str
    body: str
    video_url: str
    video_file: Entry | None
    duration_minutes: int | None
    attachments: list[AttachmentPlan] = field(default_factory=list)
    # The pictures in `body`, by the name their placeholder address carries
    # (`package_image_src`); the importer stores them and puts the real address in.
    images: dict[str, ImagePlan] = field(default_factory=dict)


@dataclass
class SectionPlan:
    key: str
    title: str
    materials: list[MaterialPlan] = field(default_factory=list)


@dataclass
class InstructorPlan:
    key: str
    name: str
    title: str
    bio: str
    photo: ImagePlan | None


@dataclass
class QuestionFilePlan:
    """A question file of `questions:`, parsed. Imported only when none of its
    questions failed (else the manifest has reported them)."""

    entry: Entry
    where: str  # where the manifest names it, e.g. "questions[0]"
    result: ParseResult


@dataclass
class ExamPlan:
    """The course's final exam (`exam:`): Exam field → value, and its per-category
    quotas as (category name, count); an empty list means none."""

    values: dict[str, Any]
    quotas: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class EvaluationPlan:
    """`evaluation:`: the course's settings and its template (found by key; created
    with these items when the site has no template of that key)."""

    anonymous: bool
    required_for_certificate: bool
    template_key: str
    template_name: str
    template_description: str
    items: list[dict[str, Any]]


@dataclass
class CoursePlan:
    slug: str
    values: dict[str, Any]  # Course field → value, compared with the row on re-import
    category_slug: str
    category_name: str
    cover: ImagePlan | None
    instructors: list[InstructorPlan]
    sections: list[SectionPlan]
    questions: list[QuestionFilePlan] = field(default_factory=list)
    exam: ExamPlan | None = None
    pretest: ExamPlan | None = None
    evaluation: EvaluationPlan | None = None


class TextError(Exception):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def decode_text(data: bytes) -> str:
    """UTF-8 text with or without BOM, any line ends → str with "\\n"; else TextError."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise TextError(_("The file is saved as UTF-16. Save it as UTF-8 and import again."))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise TextError(
            _(
                "The file is not UTF-8 text: byte %(byte)s at line %(line)s, column %(column)s "
                "cannot be read (Windows-1252 or another legacy encoding?). Save the file as "
                "UTF-8 and import again."
            )
            % {"byte": f"0x{data[error.start]:02X}", "line": line, "column": column},
            line=line,
        ) from None
    if "\x00" in text:
        raise TextError(_("The file is saved as UTF-16. Save it as UTF-8 and import again."))
    return text.replace("\r\n", "\n").replace("\r", "\n")


# A material's pictures: at most this large in the package, and stored re-encoded
# at most this wide, as the course builder's uploads (mooc.authoring).
PICTURE_MAX_SIDE = 1600
# Where a picture of the package points in a planned text until the importer knows
# the course: a course-picture address (so the sanitizer keeps it) under a slug that
# only the importer replaces, and only for names it planned.
_PACKAGE_IMAGE_PREFIX = "/belajar/-paket-/gambar/"
_IMG_SRC = re.compile(r"""(<img\b[^>]*?\bsrc\s*=\s*)(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_HAS_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def package_image_src(name: str) -> str:
    return f"{_PACKAGE_IMAGE_PREFIX}{name}"


def text_to_html(
    text: str, *, is_markdown: bool, pictures: Callable[[str], str] | None = None
) -> str:
    """Markdown or HTML → sanitized HTML. `#` headings become h2: the page's h1
    is the course or material title. `pictures` maps each <img>'s src before the
    sanitizer runs (which keeps only this site's own pictures)."""
    html = (
        markdown_render(
            text,
            extensions=_MARKDOWN_EXTENSIONS,
            # The footnote's way back is labelled in the site's language, not English.
            extension_configs={
                "extra": {"footnotes": {"BACKLINK_TITLE": _("Back to footnote %d in the text")}}
            },
        )
        if is_markdown
        else text
    )
    if pictures is not None:

        def replace(match: re.Match[str]) -> str:
            src = match.group(2) if match.group(2) is not None else match.group(3)
            planned = pictures(src)
            # Only a planned picture's address is written; any other tag stays as it was.
            return match.group(0) if planned == src else f'{match.group(1)}"{planned}"'

        html = _IMG_SRC.sub(replace, html)
    return sanitize_html(_H1.sub(r"<\1h2\2", html).strip())


def inline_is_markdown(text: str) -> bool:
    """Inline text is Markdown unless it starts with an HTML tag."""
    return not text.lstrip().startswith("<")


# PyYAML's own messages are English and technical ("found character '\t' that cannot
# start any token"); the common ones are said in the reader's language, with what to do.
_INDENTATION = gettext_lazy(
    "the indentation does not line up with the lines above. Indent with spaces, evenly."
)
_YAML_PROBLEMS: tuple[tuple[str, StrOrPromise], ...] = (
    (
        "found character '\\t'",
        gettext_lazy(
            "a tab character. YAML indents with spaces only: replace the tabs with spaces."
        ),
    ),
    (
        "mapping values are not allowed here",
        gettext_lazy(
            "a colon where YAML does not expect one. Put quotes around a text that "
            'contains “: ” (for example title: "Bab 1: Pengantar").'
        ),
    ),
    (
        "could not find expected ':'",
        gettext_lazy("a line that is not “field: value”. Check for a missing colon or quote."),
    ),
    ("expected <block end>", _INDENTATION),
    ("did not find expected key", _INDENTATION),
    (
        "did not find expected '-' indicator",
        gettext_lazy(
            "a list item that is not lined up with the others. Start each item with “- ” "
            "at the same indentation."
        ),
    ),
    ("found unexpected end of stream", gettext_lazy("a quote that is opened but never closed.")),
)


def yaml_problem_explained(problem: str) -> str:
    """PyYAML's problem said in the reader's language where it is a common one; else
    PyYAML's own words, with a pointer to the usual causes."""
    for needle, explained in _YAML_PROBLEMS:
        if needle in problem:
            return str(explained)
    return str(
        _("%(problem)s (YAML's own words; usually a tab, a missing colon or an unclosed quote)")
        % {"problem": problem}
    )


def question_problem(*, line: int, name: str, reason: str) -> str:
    """How a package error or note names one question of a question file."""
    return _("Line %(line)s: “%(name)s”: %(reason)s") % {
        "line": line,
        "name": name,
        "reason": reason,
    }


def field_path(parts: Path_) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


class _Lines:
    """Line numbers of fields, from the composed YAML nodes."""

    def __init__(self, root: Node) -> None:
        self.root = root

    def __call__(self, parts: Path_) -> int:
        node = self.root
        line: int = node.start_mark.line + 1
        for part in parts:
            if isinstance(node, MappingNode):
                for key, value in node.value:
                    if isinstance(key, ScalarNode) and key.value == str(part):
                        line, node = key.start_mark.line + 1, value
                        break
                else:
                    return line
            elif isinstance(node, SequenceNode) and isinstance(part, int):
                if part >= len(node.value):
                    return line
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                return line
        return line


def _normalise(value: Any) -> Any:
    """YAML turns unquoted dates into date objects and allows non-text keys;
    the schema and the checks want plain JSON-like data."""
    if isinstance(value, dict):
        return {str(key): _normalise(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalise(item) for item in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


class ManifestReader:
    """Reads and checks one manifest; `plan()` returns the plan or None (see report.errors)."""

    def __init__(self, source: PackageSource, limits: Limits, report: PackageReport) -> None:
        self.source = source
        self.limits = limits
        self.report = report
        self.lines: _Lines | None = None
        self.entries: dict[str, Entry] = {}
        self.flagged: set[str] = set()

    # --- reporting ------------------------------------------------------------------

    def error(self, parts: Path_, message: str, *, file: str = MANIFEST_NAME) -> None:
        name = field_path(parts)
        if (file, name) in {(e.file, e.field) for e in self.report.errors}:
            return  # one message per field is enough
        line = self.lines(parts) if self.lines is not None and file == MANIFEST_NAME else None
        self.report.error(file, name, message, line)
        self.flagged.add(name)

    # --- round 1: text and YAML -----------------------------------------------------

    def plan(self) -> CoursePlan | None:
        data = self._load()
        if data is None:
            return None
        self._check_schema(data)
        for key in RESERVED_TOP_LEVEL_KEYS:
            if key in data:
                self.report.notes.append(_("“%(key)s”: not imported yet (ignored).") % {"key": key})
        plan = self._build(data)
        if self.report.errors:
            return None
        return plan

    def _load(self) -> dict[str, Any] | None:
        try:
            entry = self.source.locate(MANIFEST_NAME)
        except MissingFile:
            self.report.error(
                MANIFEST_NAME,
                "",
                _("The package has no %(manifest)s at its top level.")
                % {"manifest": MANIFEST_NAME},
            )
            return None
        except RefError as error:
            self.report.error(MANIFEST_NAME, "", str(error))
            return None
        if entry.size > self.limits.max_text_bytes:
            self.report.error(MANIFEST_NAME, "", self._too_large(entry, self.limits.max_text_bytes))
            return None
        try:
            text = decode_text(self.source.read(entry))
        except TextError as error:
            self.report.error(MANIFEST_NAME, "", error.message, error.line)
            return None
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except (yaml.YAMLError, RecursionError) as error:
            self._yaml_error(error)
            return None
        if root is None:
            self.report.error(MANIFEST_NAME, "", _("The manifest is empty."))
            return None
        self.lines = _Lines(root)
        if not self._check_nodes(root):
            return None
        try:
            # Composing accepts any tag; constructing refuses the unsafe ones
            # (`!!python/object…`) with a ConstructorError, reported like a syntax error.
            data = _normalise(yaml.safe_load(text))
        except (yaml.YAMLError, RecursionError) as error:
            self._yaml_error(error)
            return None
        if not isinstance(data, dict):
            self.error([], _("The manifest must be a mapping of fields (format_version, course…)."))
            return None
        return data

    def _yaml_error(self, error: yaml.YAMLError | RecursionError) -> None:
        if isinstance(error, RecursionError):
            self.report.error(MANIFEST_NAME, "", str(TOO_COMPLEX))
        elif isinstance(error, yaml.MarkedYAMLError):
            mark = error.problem_mark or error.context_mark
            problem = yaml_problem_explained(
                " ".join(part for part in (error.context, error.problem) if part)
            )
            line = mark.line + 1 if mark else None
            self.report.error(
                MANIFEST_NAME,
                "",
                _("YAML syntax error at line %(line)s, column %(column)s: %(problem)s")
                % {"line": line, "column": mark.column + 1 if mark else "?", "problem": problem},
                line,
            )
        else:
            self.report.error(
                MANIFEST_NAME, "", _("This is not valid YAML: %(problem)s") % {"problem": error}
            )

    def _check_nodes(self, root: Node) -> bool:
        """Refuse alias bombs and duplicate keys (YAML would keep the last silently)."""
        stack: list[tuple[Node, list[str | int]]] = [(root, [])]
        count = 0
        while stack:
            node, parts = stack.pop()
            count += 1
            if count > MAX_NODES:
                self.error([], str(TOO_COMPLEX))
                return False
            if isinstance(node, MappingNode):
                seen: set[str] = set()
                for key, value in node.value:
                    name = key.value if isinstance(key, ScalarNode) else str(key.value)
                    if name in seen:
                        self.report.error(
                            MANIFEST_NAME,
                            field_path([*parts, name]),
                            _("This key appears twice in the same mapping."),
                            key.start_mark.line + 1,
                        )
                    seen.add(name)
                    stack.append((value, [*parts, name]))
            elif isinstance(node, SequenceNode):
                stack.extend((item, [*parts, index]) for index, item in enumerate(node.value))
        return not self.report.errors

    # --- round 2: the schema --------------------------------------------------------

    def _check_schema(self, data: dict[str, Any]) -> None:
        validator = Draft202012Validator(COURSE_PACKAGE_SCHEMA)
        for problem in validator.iter_errors(data):
            for parts, message in _explain(problem):
                self.error(parts, message)

    # --- round 3: rules beyond the schema, and the plan -----------------------------

    def _build(self, data: dict[str, Any]) -> CoursePlan:
        course = data.get("course")
        course = course if isinstance(course, dict) else {}
        at: list[str | int] = ["course"]
        values: dict[str, Any] = {
            "title": self._text(course, at, "title"),
            "summary": self._text(course, at, "summary"),
            "description": self._rich_text(course, at, "description", "description_file"),
            "requirements": self._rich_text(course, at, "requirements", "requirements_file"),
            "level": course.get("level") or Level.BASIC.value,
            "jp": course.get("jp"),
            "duration_days": course.get("duration_days"),
            "preview_video_url": self._url(course, [*at, "preview_video_url"]),
            "gives_certificate": course.get("gives_certificate") is not False,
            "is_published": course.get("published") is True,
            "internal_only": course.get("internal_only") is True,
        }
        for first, last in (("starts_at", "ends_at"), ("enroll_opens_at", "enroll_closes_at")):
            opens = values[first] = self._when(course, [*at, first])
            closes = values[last] = self._when(course, [*at, last])
            if opens is not None and closes is not None and closes <= opens:
                self.error(
                    [*at, last],
                    _("Must be later than %(other)s (%(value)s).")
                    % {"other": field_path([*at, first]), "value": course[first]},
                )
        category = course.get("category")
        category = category if isinstance(category, dict) else {}
        cover = self._image(course.get("cover_image"), [*at, "cover_image"], cover_image_clean)
        plan = CoursePlan(
            slug=str(course.get("slug") or ""),
            values=values,
            category_slug=str(category.get("slug") or ""),
            category_name=str(category.get("name") or "").strip(),
            cover=cover,
            instructors=list(self._instructors(course)),
            sections=list(self._sections(data)),
            questions=list(self._question_files(data)),
        )
        plan.exam = self._exam(data, plan.questions)
        plan.pretest = self._pretest(data, plan.questions)
        plan.evaluation = self._evaluation(data)
        total = sum(entry.size for entry in self.entries.values())
        if total > self.limits.max_total_bytes:
            self.error(
                [],
                _("The package's files add up to %(size)s; at most %(max)s are allowed.")
                % {
                    "size": filesizeformat(total),
                    "max": filesizeformat(self.limits.max_total_bytes),
                },
            )
        return plan

    def _instructors(self, course: dict[str, Any]) -> Iterator[InstructorPlan]:
        seen: dict[str, str] = {}
        for index, item in enumerate(_list(course.get("instructors"))):
            at: list[str | int] = ["course", "instructors", index]
            if not isinstance(item, dict):
                continue
            key = self._unique_id(item, at, seen)
            yield InstructorPlan(
                key=key,
                name=self._text(item, at, "name"),
                title=str(item.get("title") or "").strip(),
                bio=str(item.get("bio") or "").strip(),
                photo=self._image(item.get("photo"), [*at, "photo"], instructor_photo_clean),
            )

    def _sections(self, data: dict[str, Any]) -> Iterator[SectionPlan]:
        section_ids: dict[str, str] = {}
        material_ids: dict[str, str] = {}
        for index, item in enumerate(_list(data.get("sections"))):
            at: list[str | int] = ["sections", index]
            if not isinstance(item, dict):
                continue
            section = SectionPlan(
                key=self._unique_id(item, at, section_ids), title=self._text(item, at, "title")
            )
            for position, material in enumerate(_list(item.get("materials"))):
                if isinstance(material, dict):
                    section.materials.append(
                        self._material(material, [*at, "materials", position], material_ids)
                    )
            yield section

    def _material(
        self, item: dict[str, Any], at: list[str | int], material_ids: dict[str, str]
    ) -> MaterialPlan:
        video_url = self._url(item, [*at, "video_url"])
        video_file = None
        if item.get("video_file") is not None:
            if video_url:
                self.error(
                    [*at, "video_file"],
                    _("Give either %(one)s or %(other)s, not both.")
                    % {"one": "video_url", "other": "video_file"},
                )
            video_file = self._checked_file(item["video_file"], [*at, "video_file"], video_validate)
        attachments = []
        for index, attachment in enumerate(_list(item.get("attachments"))):
            if not isinstance(attachment, dict):
                continue
            here: list[str | int] = [*at, "attachments", index]
            entry = self._checked_file(attachment.get("file"), [*here, "file"], attachment_validate)
            if entry is not None:
                attachments.append(
                    AttachmentPlan(title=self._text(attachment, here, "title"), entry=entry)
                )
        images: dict[str, ImagePlan] = {}
        return MaterialPlan(
            # Unique in the whole course: a material may move to another section
            # and keep its learners' progress.
            key=self._unique_id(item, at, material_ids),
            title=self._text(item, at, "title"),
            body=self._rich_text(item, at, "body", "body_file", images=images),
            video_url=video_url,
            video_file=video_file,
            duration_minutes=item.get("duration_minutes"),
            attachments=attachments,
            images=images,
        )

    def _question_files(self, data: dict[str, Any]) -> Iterator[QuestionFilePlan]:
        """Each file of `questions:`, read like the package's text files and parsed.

        A failed question is an error of the package; skipped ones (types we don't
        import) are not, and become notes when the package is imported."""
        paths: dict[str, str] = {}
        titles: dict[str, tuple[str, int]] = {}  # question id → (file, line)
        for index, item in enumerate(_list(data.get("questions"))):
            at: list[str | int] = ["questions", index]
            if not isinstance(item, dict):
                continue
            entry = self._locate(item.get("file"), [*at, "file"], self.limits.max_text_bytes)
            if entry is None:
                continue
            if entry.path in paths:
                self.error(
                    [*at, "file"],
                    _("The file “%(path)s” is listed twice: also at %(other)s.")
                    % {"path": entry.path, "other": paths[entry.path]},
                )
                continue
            paths[entry.path] = field_path(at)
            fmt = item.get("format")
            if fmt is not None and fmt not in QUESTION_FORMATS:
                continue  # the schema has said so
            try:
                result = question_file_parse(
                    data=self.source.read(entry),
                    filename=entry.path,
                    fmt=fmt if isinstance(fmt, str) else None,
                )
            except ServiceError as error:
                where = [*at, "format" if error.field == "format" else "file"]
                self.error(where, str(error.message), file=entry.path)
                continue
            here = field_path(at)
            problems = [
                (issue.line, issue.name, issue.reason)
                for issue in result.issues
                if issue.kind == "failed"
            ]
            for question in result.questions:
                reason = _question_rule_broken(question)
                title = question.title.strip()
                if reason is None and title:
                    first = titles.setdefault(title, (entry.path, question.line))
                    if first[0] != entry.path:
                        reason = _(
                            "The question id is also used in %(file)s, line %(line)s; "
                            "give each question a unique title."
                        ) % {"file": first[0], "line": first[1]}
                if reason is not None:
                    problems.append((question.line, question.name, reason))
            for line, name, reason in sorted(problems, key=lambda problem: problem[0]):
                self.report.error(
                    entry.path, here, question_problem(line=line, name=name, reason=reason), line
                )
            yield QuestionFilePlan(entry=entry, where=here, result=result)

    def _pretest(self, data: dict[str, Any], questions: list[QuestionFilePlan]) -> ExamPlan | None:
        """The pre-test's settings: one attempt, never deciding the course."""
        item = data.get("pretest")
        if not isinstance(item, dict):
            return None
        at: list[str | int] = ["pretest"]
        count = item.get("question_count")
        self._check_draw(item, at, questions)
        opens = self._when(item, [*at, "available_from"])
        closes = self._when(item, [*at, "available_until"])
        if opens is not None and closes is not None and closes <= opens:
            self.error(
                [*at, "available_until"],
                _("Must be later than %(other)s (%(value)s).")
                % {"other": field_path([*at, "available_from"]), "value": item["available_from"]},
            )
        return ExamPlan(
            values={
                "title": self._text(item, at, "title"),
                "question_count": count,
                "time_limit_minutes": item.get("time_limit_minutes"),
                "max_attempts": 1,
                "shuffle_questions": item.get("shuffle_questions") is not False,
                "shuffle_options": item.get("shuffle_options") is not False,
                "available_from": opens,
                "available_until": closes,
            }
        )

    def _evaluation(self, data: dict[str, Any]) -> EvaluationPlan | None:
        item = data.get("evaluation")
        if not isinstance(item, dict):
            return None
        template = item.get("template")
        template = template if isinstance(template, dict) else {}
        at: list[str | int] = ["evaluation", "template"]
        items = []
        for index, raw in enumerate(_list(template.get("items"))):
            if not isinstance(raw, dict):
                continue
            items.append(
                {
                    "group": self._text(raw, [*at, "items", index], "group"),
                    "text": self._text(raw, [*at, "items", index], "text"),
                    "kind": raw.get("kind") or "scale",
                    "low_label": str(raw.get("low_label") or "").strip(),
                    "high_label": str(raw.get("high_label") or "").strip(),
                    "required": raw.get("required") is not False,
                    "per_instructor": raw.get("per_instructor") is True,
                }
            )
        return EvaluationPlan(
            anonymous=item.get("anonymous") is not False,
            required_for_certificate=item.get("required_for_certificate") is not False,
            template_key=str(template.get("key") or ""),
            template_name=self._text(template, at, "name"),
            template_description=str(template.get("description") or "").strip(),
            items=items,
        )

    def _check_draw(
        self, item: dict[str, Any], at: list[str | int], questions: list[QuestionFilePlan]
    ) -> None:
        bank = sum(len(plan.result.questions) for plan in questions)
        count = item.get("question_count")
        if isinstance(count, int) and not isinstance(count, bool) and count > bank:
            self.error(
                [*at, "question_count"],
                ngettext(
                    "%(count)s questions are drawn, but the package's question bank has "
                    "only %(bank)s question.",
                    "%(count)s questions are drawn, but the package's question bank has "
                    "only %(bank)s questions.",
                    bank,
                )
                % {"count": count, "bank": bank},
            )

    def _exam(self, data: dict[str, Any], questions: list[QuestionFilePlan]) -> ExamPlan | None:
        """The final exam's settings; the schema has checked types and ranges."""
        item = data.get("exam")
        if not isinstance(item, dict):
            return None
        at: list[str | int] = ["exam"]
        bank = sum(len(plan.result.questions) for plan in questions)
        count = item.get("question_count")
        if isinstance(count, int) and not isinstance(count, bool) and count > bank:
            self.error(
                [*at, "question_count"],
                ngettext(
                    "%(count)s questions are drawn, but the package's question bank has "
                    "only %(bank)s question.",
                    "%(count)s questions are drawn, but the package's question bank has "
                    "only %(bank)s questions.",
                    bank,
                )
                % {"count": count, "bank": bank},
            )
        opens = self._when(item, [*at, "available_from"])
        closes = self._when(item, [*at, "available_until"])
        if opens is not None and closes is not None and closes <= opens:
            self.error(
                [*at, "available_until"],
                _("Must be later than %(other)s (%(value)s).")
                % {"other": field_path([*at, "available_from"]), "value": item["available_from"]},
            )
        grade = item.get("passing_grade")
        try:
            passing_grade = Decimal(str(grade)).quantize(Decimal("0.01"))
        except (ArithmeticError, ValueError):
            passing_grade = Decimal(70)
        if isinstance(grade, float | int) and passing_grade != Decimal(str(grade)):
            self.error([*at, "passing_grade"], _("Use at most two decimals, such as 72.5."))

        def flag(key: str, default: bool) -> bool:
            value = item.get(key)
            return default if value is None else value is True

        quotas = self._quotas(item, at, questions, count)
        return ExamPlan(
            values={
                "title": self._text(item, at, "title"),
                "question_count": count,
                "time_limit_minutes": item.get("time_limit_minutes"),
                "passing_grade": passing_grade,
                "max_attempts": item.get("max_attempts"),
                "wait_minutes_between_attempts": item.get("wait_minutes_between_attempts") or 0,
                "shuffle_questions": flag("shuffle_questions", True),
                "shuffle_options": flag("shuffle_options", True),
                "require_materials_completed": flag("require_materials_completed", False),
                "allow_retake_after_pass": flag("allow_retake_after_pass", False),
                "review_mode": item.get("review_mode") or "score",
                "available_from": opens,
                "available_until": closes,
            },
            quotas=quotas,
        )

    def _quotas(
        self,
        item: dict[str, Any],
        at: list[str | int],
        questions: list[QuestionFilePlan],
        question_count: Any,
    ) -> list[tuple[str, int]]:
        """`exam.quotas`: categories of the package's questions, each asked for no more
        than it holds, adding up to question_count. The schema has checked the shapes."""
        in_category: dict[str, int] = {}
        for plan in questions:
            for question in plan.result.questions:
                name = question.category.strip()
                if name:
                    in_category[name] = in_category.get(name, 0) + 1
        quotas: list[tuple[str, int]] = []
        seen: dict[str, str] = {}
        for index, quota in enumerate(_list(item.get("quotas"))):
            here: list[str | int] = [*at, "quotas", index]
            if not isinstance(quota, dict):
                continue
            raw, count = quota.get("category"), quota.get("count")
            if not isinstance(raw, str) or not isinstance(count, int) or isinstance(count, bool):
                continue  # the schema has said so
            name = raw.strip()
            if name in seen:
                self.error(
                    [*here, "category"],
                    _("The category “%(category)s” is listed twice: also at %(other)s.")
                    % {"category": name, "other": seen[name]},
                )
                continue
            seen[name] = field_path(here)
            available = in_category.get(name)
            if available is None:
                known = ", ".join(f"“{known}”" for known in sorted(in_category)) or "—"
                self.error(
                    [*here, "category"],
                    _(
                        "No question of the package is in the category “%(category)s”. "
                        "Categories of the package: %(known)s."
                    )
                    % {"category": name, "known": known},
                )
            elif count > available:
                self.error(
                    [*here, "count"],
                    ngettext(
                        "%(count)s questions are drawn from “%(category)s”, but it has "
                        "only %(available)s question.",
                        "%(count)s questions are drawn from “%(category)s”, but it has "
                        "only %(available)s questions.",
                        available,
                    )
                    % {"count": count, "category": name, "available": available},
                )
            quotas.append((name, count))
        total = sum(count for _name, count in quotas)
        if (
            quotas
            and isinstance(question_count, int)
            and not isinstance(question_count, bool)
            and total != question_count
        ):
            self.error(
                [*at, "quotas"],
                _(
                    "The quotas add up to %(total)s questions, but question_count is "
                    "%(count)s. Make them equal."
                )
                % {"total": total, "count": question_count},
            )
        return quotas

    # --- field helpers ----------------------------------------------------------------

    def _text(self, item: dict[str, Any], at: Path_, key: str) -> str:
        value = item.get(key)
        if not isinstance(value, str):
            return ""
        if not value.strip():
            self.error([*at, key], _("Must not be empty."))
        return value.strip()

    def _unique_id(self, item: dict[str, Any], at: Path_, seen: dict[str, str]) -> str:
        value = item.get("id")
        if not isinstance(value, str):
            return ""
        if value in seen:
            self.error(
                [*at, "id"],
                _("The id “%(id)s” is used twice: also at %(other)s.")
                % {"id": value, "other": seen[value]},
            )
        else:
            seen[value] = field_path(at)
        return value

    def _url(self, item: dict[str, Any], at: Path_) -> str:
        value = item.get(str(at[-1]))
        if not isinstance(value, str) or not value.strip():
            return ""
        try:
            URLValidator(schemes=["http", "https"])(value.strip())
        except ValidationError:
            self.error(at, _("Not a valid web address (it must start with https:// or http://)."))
        return value.strip()

    def _when(self, item: dict[str, Any], at: Path_) -> dt.datetime | None:
        value = item.get(str(at[-1]))
        if not isinstance(value, str) or not value.strip():
            return None
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            self.error(
                at,
                _("Not a date and time in ISO 8601 form, such as %(example)s.")
                % {"example": "2025-07-01T08:00:00+07:00"},
            )
            return None
        if parsed.tzinfo is None:
            self.error(
                at,
                _("Give the time and its UTC offset, such as %(example)s (WIB is +07:00).")
                % {"example": "2025-07-01T08:00:00+07:00"},
            )
            return None
        return parsed

    def _locate(self, raw: Any, at: Path_, max_bytes: int | None) -> Entry | None:
        if not isinstance(raw, str) or field_path(at) in self.flagged:
            return None
        try:
            entry = self.source.locate(raw)
        except RefError as error:
            self.error(at, f"“{raw}”: {error}")
            return None
        if max_bytes is not None and entry.size > max_bytes:
            self.error(at, self._too_large(entry, max_bytes), file=entry.path)
            return None
        self.entries[entry.path] = entry
        return entry

    def _rich_text(
        self,
        item: dict[str, Any],
        at: Path_,
        inline: str,
        file_key: str,
        *,
        images: dict[str, ImagePlan] | None = None,
    ) -> str:
        """The sanitized HTML of `inline` or of the file `file_key` names. With
        `images` (a material's text), pictures that are files of the package are
        checked and planned there; other texts keep only this site's pictures."""
        ref = item.get(file_key)
        text = item.get(inline)
        if ref is not None and text is not None:
            self.error(
                [*at, file_key],
                _("Give either %(one)s or %(other)s, not both.")
                % {"one": inline, "other": file_key},
            )
        if ref is None:
            if not isinstance(text, str) or not text.strip():
                return ""
            pictures = self._pictures(images, "", [*at, inline])
            try:
                return text_to_html(text, is_markdown=inline_is_markdown(text), pictures=pictures)
            except MarkdownTooComplex as error:
                self.error([*at, inline], str(error))
                return ""
        entry = self._locate(ref, [*at, file_key], self.limits.max_text_bytes)
        if entry is None:
            return ""
        if entry.suffix not in TEXT_SUFFIXES:
            self.error(
                [*at, file_key],
                _("Use a Markdown (.md) or HTML (.html) file."),
                file=entry.path,
            )
            return ""
        try:
            content = decode_text(self.source.read(entry))
        except TextError as error:
            self.report.error(entry.path, field_path([*at, file_key]), error.message, error.line)
            return ""
        folder = posixpath.dirname(entry.path)
        pictures = self._pictures(images, folder, [*at, file_key])
        try:
            return text_to_html(content, is_markdown=TEXT_SUFFIXES[entry.suffix], pictures=pictures)
        except MarkdownTooComplex as error:
            self.report.error(entry.path, field_path([*at, file_key]), str(error))
            return ""

    def _pictures(
        self, images: dict[str, ImagePlan] | None, folder: str, at: Path_
    ) -> Callable[[str], str] | None:
        """What a picture's src becomes in a material's text: a path inside the
        package (relative to the text's folder) is checked like an upload and
        planned in `images` under a placeholder address; any other src is left
        to the sanitizer."""
        if images is None:
            return None

        def clean(upload: UploadedFile) -> ContentFile[bytes]:
            return image_clean(upload, max_side=PICTURE_MAX_SIDE, field="image")

        def plan(src: str) -> str:
            if not src or src.startswith(("/", "#")) or _HAS_SCHEME.match(src):
                return src
            # As a browser reads it: entities and %-escapes (a file name with a space).
            relative = unquote(unescape(src).split("?")[0].split("#")[0])
            path = posixpath.normpath(posixpath.join(folder, relative))
            if path == ".." or path.startswith("../"):
                self.error(at, _("The picture “%(src)s” is outside the package.") % {"src": src})
                return src
            image = self._image(path, at, clean)
            if image is None:
                return src
            name = f"{hashlib.sha256(image.content).hexdigest()[:32]}.{image.extension}"
            images[name] = image
            return package_image_src(name)

        return plan

    def _image(
        self, raw: Any, at: Path_, clean: Callable[[UploadedFile], ContentFile[bytes]]
    ) -> ImagePlan | None:
        entry = self._locate(raw, at, IMAGE_MAX_BYTES)
        if entry is None:
            return None
        data = self.source.read(entry)
        try:
            content = clean(SimpleUploadedFile(entry.name, data))
        except ValidationError as error:
            self.error(at, " ".join(error.messages), file=entry.path)
            return None
        extension = (content.name or "image.jpg").rsplit(".", 1)[-1]
        return ImagePlan(entry=entry, raw=data, content=content.read(), extension=extension)

    def _checked_file(self, raw: Any, at: Path_, validate: Callable[..., None]) -> Entry | None:
        """A video or attachment, judged by the rules of admin uploads (type by
        name and by first bytes, size)."""
        entry = self._locate(raw, at, None)
        if entry is None:
            return None
        try:
            with self.source.open_file(entry) as handle:
                validate(handle, name=entry.name)
        except ValidationError as error:
            self.error(at, " ".join(error.messages), file=entry.path)
            return None
        return entry

    @staticmethod
    def _too_large(entry: Entry, max_bytes: int) -> str:
        return _("The file is too large: %(size)s; at most %(max)s.") % {
            "size": filesizeformat(entry.size),
            "max": filesizeformat(max_bytes),
        }


def _question_rule_broken(question: ParsedQuestion) -> str | None:
    """Why the bank would refuse this question (its options), or None.

    The import checks the same rules again; checking them here lists every
    problem of the package at once."""
    try:
        question_options_validate(
            qtype=question.qtype, weights=[option.weight for option in question.options]
        )
    except ServiceError as error:
        return str(error.message)
    except ArithmeticError:  # a weight that is not a number: the import reports it
        return None
    return None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _type_name(kind: str) -> str:
    names = {
        "string": _("text"),
        "integer": _("a whole number"),
        "number": _("a number"),
        "boolean": _("true or false"),
        "array": _("a list"),
        "object": _("a mapping of fields"),
    }
    return names.get(kind, kind)


def _explain(problem: SchemaError) -> Iterator[tuple[list[str | int], str]]:
    """A schema violation as (field path, message in the user's language)."""
    parts: list[str | int] = list(problem.absolute_path)
    keyword = problem.validator
    instance = problem.instance
    if keyword == "required":
        for name in problem.validator_value:
            if isinstance(instance, dict) and name not in instance:
                yield [*parts, name], _("This field is required.")
    elif keyword == "additionalProperties":
        allowed = list(problem.schema.get("properties", {}))
        for name in instance:
            if name not in allowed:
                yield (
                    [*parts, name],
                    _("Unknown field. Allowed here: %(fields)s.") % {"fields": ", ".join(allowed)},
                )
    elif keyword == "type":
        kinds = problem.validator_value
        kinds = [kinds] if isinstance(kinds, str) else [k for k in kinds if k != "null"]
        yield parts, _("Must be %(type)s.") % {"type": _type_name(kinds[0])}
    elif keyword == "const" and parts == ["format_version"]:
        yield (
            parts,
            _("Unsupported format_version %(value)s: this server reads version %(version)s.")
            % {"value": instance, "version": FORMAT_VERSION},
        )
    elif keyword == "enum":
        choices = ", ".join(str(choice) for choice in problem.validator_value if choice is not None)
        yield (
            parts,
            _("Unknown value “%(value)s”. Use one of: %(choices)s.")
            % {"value": instance, "choices": choices},
        )
    elif keyword == "pattern":
        yield parts, _("Use only letters, digits, hyphens and underscores (no spaces).")
    elif keyword == "minLength":
        yield parts, _("Must not be empty.")
    elif keyword == "maxLength":
        yield parts, _("Too long: at most %(max)s characters.") % {"max": problem.validator_value}
    elif keyword == "minimum":
        yield parts, _("Must be %(min)s or more.") % {"min": problem.validator_value}
    elif keyword == "maximum":
        yield parts, _("Must be %(max)s or less.") % {"max": problem.validator_value}
    else:  # pragma: no cover - the schema uses no other keyword
        yield parts, problem.message
