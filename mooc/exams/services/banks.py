"""Question banks: reading GIFT and Aiken files, importing them into a course's bank,
exporting a bank to GIFT, and the rules every question obeys (the importer and the
admin check the same ones, so a question that can be typed can also be imported).

Re-importing and past attempts
------------------------------
A question is matched by its stable id (`Question.key`): the GIFT title, or for an
untitled question a hash of its category and text (`question_key_derive`). Importing
the same file again therefore updates the bank instead of duplicating it. Questions
of the bank missing from the file are left alone: a file may hold part of a bank.

The exam engine copies each question it shows into the attempt (text, options and
weights as shown), so what a learner saw and how it was scored never changes when the
bank does. To let it notice a change, `Question.version` goes up on every real change
of the key, type, text, category, feedback or options, whether made by an import or in
the admin; importing an unchanged question leaves its version and rows as they are.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import PurePosixPath
from typing import Any, Literal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mooc.catalog.models import Course
from mooc.core.errors import ServiceError
from mooc.core.sanitize import sanitize_html
from mooc.core.services import audit_log_record
from mooc.exams.formats import (
    IssueKind,
    ParsedOption,
    ParsedQuestion,
    ParseIssue,
    ParseResult,
)
from mooc.exams.formats.aiken import parse_aiken
from mooc.exams.formats.decode import QuestionFileError, decode_question_file
from mooc.exams.formats.export import to_gift
from mooc.exams.formats.gift import parse_gift
from mooc.exams.models import Option, Question, QuestionCategory, QuestionType
from mooc.exams.selectors.banks import question_bank_list, question_get, questions_by_key

QuestionFormat = Literal["gift", "aiken"]
FORMATS: tuple[QuestionFormat, ...] = ("gift", "aiken")
DEFAULT_MAX_QUESTION_FILE_MB = 5
KEY_MAX_LENGTH = Question._meta.get_field("key").max_length or 255
CATEGORY_MAX_LENGTH = QuestionCategory._meta.get_field("name").max_length or 255
# Multiple-response shares such as 33.33333 % ×3 add up to 99.99999.
WEIGHT_TOLERANCE = Decimal("0.01")
_WEIGHT_QUANTUM = Decimal("0.00001")  # Option.weight's decimal places

# A `.txt` file may be either format: Aiken files have ANSWER lines, GIFT files braces,
# titles and categories. Whichever kind of mark is more frequent wins.
_AIKEN_MARK = re.compile(r"^[ \t]*ANSWER[ \t]*:", re.MULTILINE)
_GIFT_MARK = re.compile(r"(?<!\\)\{|^[ \t]*::|^[ \t]*\$CATEGORY:", re.MULTILINE)


# --- The rules of a question -----------------------------------------------------------


def question_options_validate(*, qtype: str, weights: Sequence[Decimal]) -> None:
    """Raise ServiceError (field "options") unless the options make a sound question
    of type `qtype`. `weights` are the options' weights in percent, in order."""
    if any(weight < -100 or weight > 100 for weight in weights):
        raise _options_error(_("Each option's weight must be between -100 and 100 percent."))
    correct = [weight for weight in weights if weight > 0]
    if qtype == QuestionType.SINGLE:
        if len(weights) < 2:
            raise _options_error(_("A multiple-choice question needs at least two options."))
        if len(correct) != 1 or correct[0] != 100:
            raise _options_error(
                _(
                    "A multiple-choice question needs exactly one correct option, with weight "
                    "100 percent; the other options must weigh 0 or less."
                )
            )
    elif qtype == QuestionType.MULTIPLE:
        if len(weights) < 2:
            raise _options_error(_("A multiple-response question needs at least two options."))
        total = sum(correct, Decimal(0))
        if abs(total - 100) > WEIGHT_TOLERANCE:
            raise _options_error(
                _(
                    "The weights of the correct options of a multiple-response question must "
                    "add up to 100 percent; they add up to %(total)s."
                )
                % {"total": _number(total)}
            )
    elif qtype == QuestionType.TRUE_FALSE:
        if len(weights) != 2 or len(correct) != 1 or correct[0] != 100:
            raise _options_error(
                _(
                    "A true/false question needs exactly two options, one of them correct "
                    "(weight 100 percent)."
                )
            )
    else:
        raise _options_error(_("Unknown question type."))


def _options_error(message: str) -> ServiceError:
    return ServiceError(message, field="options", code="options")


def _number(value: Decimal) -> str:
    return format(_plain(value), "f")


def _plain(value: Decimal) -> Decimal:
    """100.00000 → 100 and 33.33000 → 33.33, never 1E+2."""
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def question_key_derive(*, category: str, text: str) -> str:
    """The stable id of an untitled question: the same category and text give the same
    id in every import, so re-importing the file matches it again."""
    words = " ".join(sanitize_html(text).split())
    digest = hashlib.sha1(f"{category}\n{words}".encode(), usedforsecurity=False).hexdigest()
    return f"q-{digest[:12]}"


@dataclass(frozen=True)
class QuestionContent:
    """What a question says and how it scores, normalized as the database stores it:
    equal contents mean nothing a learner sees or is scored on has changed."""

    key: str
    qtype: str
    category: str
    text: str
    general_feedback: str
    options: tuple[tuple[str, Decimal, str], ...]  # (text, weight, feedback) in order

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "qtype": self.qtype,
            "category": self.category,
            "text": self.text,
            "general_feedback": self.general_feedback,
            "options": [
                {"text": text, "weight": weight, "feedback": feedback}
                for text, weight, feedback in self.options
            ],
        }


def question_content(question: Question) -> QuestionContent:
    """The content of a saved question (its options prefetched, in order, are used)."""
    return QuestionContent(
        key=question.key,
        qtype=question.qtype,
        category=question.category.name if question.category else "",
        text=str(question.text),
        general_feedback=str(question.general_feedback),
        options=tuple(
            (str(option.text), _weight(option.weight), str(option.feedback))
            for option in question.options.all()
        ),
    )


def _parsed_content(question: ParsedQuestion, *, key: str) -> QuestionContent:
    return QuestionContent(
        key=key,
        qtype=question.qtype,
        category=question.category.strip(),
        text=sanitize_html(question.text),
        general_feedback=sanitize_html(question.general_feedback),
        options=tuple(
            (sanitize_html(option.text), _weight(option.weight), sanitize_html(option.feedback))
            for option in question.options
        ),
    )


def _weight(value: Decimal) -> Decimal:
    try:
        return Decimal(value).quantize(_WEIGHT_QUANTUM, rounding=ROUND_HALF_EVEN)
    except InvalidOperation:  # NaN, or too large to quantize: out of range anyway
        return Decimal(1000)


def question_version_bump_if_changed(
    *, question: Question, before: QuestionContent, image_changed: bool = False
) -> bool:
    """After an edit in the admin: bump the version if the content (or the picture,
    which imports never touch) really changed. Returns whether it did."""
    if not image_changed and question_content(question_get(pk=question.pk)) == before:
        return False
    Question.objects.filter(pk=question.pk).update(version=F("version") + 1)
    question.refresh_from_db(fields=["version"])
    return True


def question_category_versions_bump(*, categories: Iterable[QuestionCategory]) -> int:
    """A category renamed or deleted changes its questions' content: bump their versions.
    Returns how many questions changed."""
    return Question.objects.filter(category__in=list(categories)).update(
        version=F("version") + 1, updated_at=timezone.now()
    )


# --- Reading a file -----------------------------------------------------------------------


def question_file_max_bytes() -> int:
    """MAX_QUESTION_FILE_MB: a bank of thousands of questions is well under a megabyte."""
    megabytes = getattr(settings, "MAX_QUESTION_FILE_MB", DEFAULT_MAX_QUESTION_FILE_MB)
    return int(float(megabytes) * 1024 * 1024)


def question_file_parse(*, data: bytes, filename: str, fmt: str | None = None) -> ParseResult:
    """Decode and parse a GIFT or Aiken file.

    The format is `fmt` ("gift" or "aiken") when given; otherwise `.gift` means GIFT,
    `.aiken` Aiken, and a `.txt` file (or one without extension) is recognised by its
    content. Raises ServiceError (field "file") for a file too large, empty, in an
    encoding other than UTF-8, or of another kind; problems with single questions are
    not errors but issues of the result.
    """
    limit = question_file_max_bytes()
    if len(data) > limit:
        raise ServiceError(
            _("The file is too large: at most %(size)s.") % {"size": filesizeformat(limit)},
            field="file",
            code="too_large",
        )
    chosen = _format_chosen(filename=filename, fmt=fmt)
    if not data.strip():
        raise _empty_file_error()
    try:
        text = decode_question_file(data)
    except QuestionFileError as error:
        raise ServiceError(str(error), field="file", code="encoding") from error
    if not text.strip():
        raise _empty_file_error()
    if chosen is None:
        chosen = question_format_sniff(text)
    result: ParseResult = parse_gift(text) if chosen == "gift" else parse_aiken(text)
    return result


def _empty_file_error() -> ServiceError:
    return ServiceError(_("The file is empty."), field="file", code="empty")


def _format_chosen(*, filename: str, fmt: str | None) -> QuestionFormat | None:
    if fmt:
        if fmt not in FORMATS:
            raise ServiceError(
                _("Unknown question file format %(format)s: use GIFT or Aiken.") % {"format": fmt},
                field="format",
                code="format",
            )
        return "gift" if fmt == "gift" else "aiken"
    extension = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    if extension == ".gift":
        return "gift"
    if extension == ".aiken":
        return "aiken"
    if extension in {".txt", ""}:
        return None
    raise ServiceError(
        _(
            "Questions are imported from GIFT or Aiken text files (.gift or .txt); "
            "this file is a %(extension)s."
        )
        % {"extension": extension},
        field="file",
        code="format",
    )


def question_format_sniff(text: str) -> QuestionFormat:
    aiken = len(_AIKEN_MARK.findall(text))
    gift = len(_GIFT_MARK.findall(text))
    return "aiken" if aiken > gift else "gift"


# --- Importing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportIssue:
    """A question left out of the bank: `skipped` (a type we don't support, or a
    duplicate within the file) or `failed` (malformed)."""

    line: int
    kind: IssueKind
    name: str
    reason: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    issues: list[ImportIssue] = field(default_factory=list)
    # False when an all-or-nothing import met a failed question and wrote nothing.
    committed: bool = True

    @property
    def imported(self) -> int:
        """Questions now in the bank as the file says: created, updated or unchanged."""
        return self.created + self.updated + self.unchanged

    @property
    def skipped(self) -> int:
        return sum(1 for issue in self.issues if issue.kind == "skipped")

    @property
    def failed(self) -> int:
        return sum(1 for issue in self.issues if issue.kind == "failed")

    def lines(self) -> list[str]:
        """The report as `import_questions` prints it: the counts, then one line per
        skipped or failed question, in the order of the file."""
        lines = [
            _(
                "Imported: %(imported)s (new %(created)s, updated %(updated)s, "
                "unchanged %(unchanged)s), skipped: %(skipped)s, failed: %(failed)s"
            )
            % {
                "imported": self.imported,
                "created": self.created,
                "updated": self.updated,
                "unchanged": self.unchanged,
                "skipped": self.skipped,
                "failed": self.failed,
            }
        ]
        for issue in self.issues:
            lines.append(
                _('Line %(line)s: %(kind)s "%(name)s": %(reason)s')
                % {
                    "line": issue.line,
                    "kind": issue_kind_label(issue.kind),
                    "name": issue.name,
                    "reason": issue.reason,
                }
            )
        if not self.committed:
            lines.append(_("A question failed, so nothing was imported."))
        return lines


def issue_kind_label(kind: str) -> str:
    if kind == "skipped":
        return pgettext("question import report", "skipped")
    return pgettext("question import report", "failed")


@dataclass(frozen=True)
class _Planned:
    question: ParsedQuestion
    content: QuestionContent


def _site_language_labels(question: ParsedQuestion) -> ParsedQuestion:
    """True/false option labels are data: store them in the site's language, whatever
    language the admin imports in (or none, from a management command)."""
    if question.qtype != "truefalse" or len(question.options) != 2:
        return question
    with translation.override(settings.LANGUAGE_CODE):
        labels = (_("True"), _("False"))
    true_first = question.options[0].text.casefold() in {"true", "benar", labels[0].casefold()}
    ordered = labels if true_first else labels[::-1]
    return replace(
        question,
        options=tuple(
            replace(o, text=label) for o, label in zip(question.options, ordered, strict=True)
        ),
    )


def questions_import(
    *,
    course: Course,
    result: ParseResult,
    all_or_nothing: bool = False,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> ImportReport:
    """Bring the parsed questions into the course's bank, in one transaction.

    Questions the parser could not take, and those breaking the rules of
    `question_options_validate`, are left out and listed in the report. With
    `all_or_nothing` (course packages) a single failed question means nothing is
    written (`report.committed` is False); skipped questions of unsupported types
    don't count as failures. Matching by stable id, see the module's docstring.
    """
    report = ImportReport(issues=[_issue(issue) for issue in result.issues])
    planned, repeats = _plan([_site_language_labels(q) for q in result.questions], report)
    report.issues.sort(key=lambda issue: issue.line)
    if all_or_nothing and report.failed:
        report.committed = False
        return report
    if not planned:
        return report
    with transaction.atomic():
        # One import per course at a time: two at once would both create a new key.
        Course.objects.select_for_update().filter(pk=course.pk).values_list("pk").first()
        _apply(course=course, planned=planned, report=report)
        report.unchanged += repeats
        if report.created or report.updated:
            audit_log_record(
                actor=actor,
                action="questions.imported",
                target=course,
                after={
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "skipped": report.skipped,
                    "failed": report.failed,
                },
                request=request,
            )
    return report


def _issue(issue: ParseIssue) -> ImportIssue:
    return ImportIssue(line=issue.line, kind=issue.kind, name=issue.name, reason=issue.reason)


def _plan(questions: Iterable[ParsedQuestion], report: ImportReport) -> tuple[list[_Planned], int]:
    """Check each parsed question: the sound ones, at most one per stable id, and how
    many questions repeat an earlier one of the file exactly.

    A repeat (Moodle's own test file has one: the same title and question twice) is
    imported in the sense that the bank holds it as the file says, once: it counts as
    unchanged. The same id with another content is a failure: which one would be meant?
    """
    planned: dict[str, _Planned] = {}
    repeats = 0
    for question in questions:
        try:
            content = _checked_content(question)
        except ServiceError as error:
            report.issues.append(_failure(question, str(error.message)))
            continue
        first = planned.get(content.key)
        if first is None:
            planned[content.key] = _Planned(question, content)
        elif first.content == content:
            repeats += 1
        else:
            report.issues.append(
                _failure(
                    question,
                    _("The question on line %(line)s has the same id; give each a unique title.")
                    % {"line": first.question.line},
                )
            )
    return list(planned.values()), repeats


def _checked_content(question: ParsedQuestion) -> QuestionContent:
    category = question.category.strip()
    title = question.title.strip()
    if len(title) > KEY_MAX_LENGTH:
        raise ServiceError(
            _("The title is longer than %(max)s characters.") % {"max": KEY_MAX_LENGTH}
        )
    if len(category) > CATEGORY_MAX_LENGTH:
        raise ServiceError(
            _("The category is longer than %(max)s characters.") % {"max": CATEGORY_MAX_LENGTH}
        )
    key = title or question_key_derive(category=category, text=question.text)
    content = _parsed_content(question, key=key)
    if not _has_content(content.text):
        raise ServiceError(_("The question has no text."))
    if any(not _has_content(option[0]) for option in content.options):
        raise ServiceError(_("An option has no text."))
    question_options_validate(
        qtype=content.qtype, weights=[option[1] for option in content.options]
    )
    return content


def _has_content(html: str) -> bool:
    return bool(re.sub(r"<[^>]+>", "", html).strip()) or "<img" in html


def _failure(question: ParsedQuestion, reason: str) -> ImportIssue:
    return ImportIssue(line=question.line, kind="failed", name=question.name, reason=reason)


def _apply(*, course: Course, planned: list[_Planned], report: ImportReport) -> None:
    existing = questions_by_key(course=course, keys=[item.content.key for item in planned])
    categories = _categories_ensure(
        course=course, names={item.content.category for item in planned if item.content.category}
    )
    created: list[Question] = []
    changed: list[Question] = []
    now = timezone.now()
    for item in planned:
        content = item.content
        question = existing.get(content.key)
        if question is None:
            question = Question(course=course, key=content.key, version=1)
            created.append(question)
        elif _same_for_import(question_content(question), content):
            report.unchanged += 1
            continue
        else:
            question.version += 1
            question.updated_at = now
            changed.append(question)
        question.qtype = content.qtype
        question.text = content.text
        question.general_feedback = content.general_feedback
        question.category = categories.get(content.category)
    Question.objects.bulk_create(created)
    if changed:
        Question.objects.bulk_update(
            changed,
            fields=["qtype", "text", "general_feedback", "category", "version", "updated_at"],
        )
        # Option rows are replaced, not edited: attempts keep their own copies.
        Option.objects.filter(question__in=changed).delete()
    by_key = {item.content.key: item.content for item in planned}
    Option.objects.bulk_create(
        Option(question=question, text=text, weight=weight, feedback=feedback, order=order)
        for question in (*created, *changed)
        for order, (text, weight, feedback) in enumerate(by_key[question.key].options, start=1)
    )
    report.created += len(created)
    report.updated += len(changed)


def _same_for_import(stored: QuestionContent, parsed: QuestionContent) -> bool:
    """Equal, except that a true/false question's option labels don't count: the file
    says only T or F, and the parser names the options in the importer's language
    ("True", "Benar"), so a file imported from the command and again from the admin
    would otherwise change the question every time."""
    if stored.qtype != QuestionType.TRUE_FALSE or parsed.qtype != QuestionType.TRUE_FALSE:
        return stored == parsed
    return replace(stored, options=_unlabelled(stored)) == replace(
        parsed, options=_unlabelled(parsed)
    )


def _unlabelled(content: QuestionContent) -> tuple[tuple[str, Decimal, str], ...]:
    return tuple(("", weight, feedback) for _text, weight, feedback in content.options)


def _categories_ensure(*, course: Course, names: set[str]) -> dict[str, QuestionCategory]:
    found = {
        category.name: category
        for category in QuestionCategory.objects.filter(course=course, name__in=names)
    }
    for name in sorted(names - found.keys()):
        found[name] = QuestionCategory.objects.create(course=course, name=name)
    return found


# --- Exporting -----------------------------------------------------------------------------


def question_bank_to_parsed(*, course: Course) -> list[ParsedQuestion]:
    """The course's bank as parser output, each question titled with its stable id, so
    that exporting and importing again gives back the same bank. Images are not
    exported (GIFT has no place for a private file)."""
    return [
        ParsedQuestion(
            line=0,
            qtype=_parsed_type(question.qtype),
            text=str(question.text),
            options=tuple(
                ParsedOption(
                    text=str(option.text),
                    weight=_plain(Decimal(option.weight)),
                    feedback=str(option.feedback),
                )
                for option in question.options.all()
            ),
            title=question.key,
            category=question.category.name if question.category else "",
            general_feedback=str(question.general_feedback),
        )
        for question in question_bank_list(course=course)
    ]


def _parsed_type(qtype: str) -> Literal["single", "multiple", "truefalse"]:
    if qtype == QuestionType.MULTIPLE:
        return "multiple"
    if qtype == QuestionType.TRUE_FALSE:
        return "truefalse"
    return "single"


def question_bank_export_gift(*, course: Course) -> str:
    text: str = to_gift(question_bank_to_parsed(course=course))
    return text
