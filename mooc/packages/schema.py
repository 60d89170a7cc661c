"""The JSON Schema (Draft 2020-12) of a course package's `course.yaml`.

It checks the shape: which keys exist, their types, required fields, lengths
and the id pattern. What a schema cannot say (files that must exist, ids unique
across the course, dates in order, mutually exclusive keys) is checked by
`mooc.packages.manifest`. docs/course-packages.md describes every field.
"""

from __future__ import annotations

from typing import Any

FORMAT_VERSION = 1

# Top-level keys reserved for later versions: accepted and reported as ignored, so
# a package written for a later version still imports its course. None today
# (`exam` was reserved until the exam engine came).
RESERVED_TOP_LEVEL_KEYS: tuple[str, ...] = ()

# What a final exam's review shows (`exam.review_mode`), as mooc.exams.models.ReviewMode.
REVIEW_MODES = ("nothing", "score", "correct_after_pass", "always")

# Question files (`questions[].format`); without `format`, the file's extension
# decides (.gift, .aiken; a .txt file is recognised by its content).
QUESTION_FORMATS = ("gift", "aiken")

# Stable ids of sections, materials and instructors, and the course slug: what
# Django's SlugField accepts, so every exported id imports again.
ID_PATTERN = r"^[-a-zA-Z0-9_]+$"

_ID: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 100, "pattern": ID_PATTERN}
_PATH: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 255}
_TEXT: dict[str, Any] = {"type": ["string", "null"]}
_URL: dict[str, Any] = {"type": ["string", "null"], "maxLength": 200}
_DATETIME: dict[str, Any] = {"type": ["string", "null"], "maxLength": 40}
_FLAG: dict[str, Any] = {"type": ["boolean", "null"]}


def _title(max_length: int = 200) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "maxLength": max_length}


def _count(maximum: int) -> dict[str, Any]:
    return {"type": ["integer", "null"], "minimum": 0, "maximum": maximum}


_INSTRUCTOR: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "name"],
    "properties": {
        "id": _ID,
        "name": _title(150),
        "title": {"type": ["string", "null"], "maxLength": 200},
        "bio": _TEXT,
        "photo": _PATH,
    },
}

_ATTACHMENT: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["title", "file"],
    "properties": {"title": _title(), "file": _PATH},
}

_MATERIAL: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "title"],
    "properties": {
        "id": _ID,
        "title": _title(),
        "body": _TEXT,
        "body_file": _PATH,
        "video_url": _URL,
        "video_file": _PATH,
        "duration_minutes": _count(32767),
        "attachments": {"type": "array", "items": _ATTACHMENT},
    },
}

_SECTION: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "title"],
    "properties": {
        "id": _ID,
        "title": _title(),
        "materials": {"type": "array", "items": _MATERIAL},
    },
}

_QUESTION_FILE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["file"],
    "properties": {"file": _PATH, "format": {"enum": [*QUESTION_FORMATS, None]}},
}

_COURSE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["slug", "title", "summary", "category", "jp"],
    "properties": {
        "slug": {**_ID, "maxLength": 120},
        "title": _title(),
        "summary": _title(500),
        "description": _TEXT,
        "description_file": _PATH,
        "requirements": _TEXT,
        "requirements_file": _PATH,
        "category": {
            "type": "object",
            "additionalProperties": False,
            "required": ["slug", "name"],
            "properties": {"slug": {**_ID, "maxLength": 120}, "name": _title(120)},
        },
        "level": {"enum": ["dasar", "menengah", "lanjut", None]},
        "jp": {"type": "integer", "minimum": 0, "maximum": 32767},
        "duration_days": _count(32767),
        "preview_video_url": _URL,
        "cover_image": _PATH,
        "gives_certificate": _FLAG,
        "published": _FLAG,
        "starts_at": _DATETIME,
        "ends_at": _DATETIME,
        "enroll_opens_at": _DATETIME,
        "enroll_closes_at": _DATETIME,
        "internal_only": _FLAG,
        "instructors": {"type": "array", "items": _INSTRUCTOR},
    },
}

# How many questions each attempt draws from one category of the bank (GIFT's
# $CATEGORY: path). The manifest reader checks the categories exist in the package's
# question files and that the counts add up to question_count.
_QUOTA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["category", "count"],
    "properties": {
        "category": {"type": "string", "minLength": 1, "maxLength": 255},
        "count": {"type": "integer", "minimum": 1, "maximum": 32767},
    },
}

# The course's final exam (the certificate-deciding test). Ranges follow the Exam model;
# question_count against the size of the bank is checked by the manifest reader.
_EXAM: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["title", "question_count", "time_limit_minutes", "passing_grade"],
    "properties": {
        "title": _title(),
        "question_count": {"type": "integer", "minimum": 1, "maximum": 32767},
        "time_limit_minutes": {"type": "integer", "minimum": 1, "maximum": 32767},
        "passing_grade": {"type": "number", "minimum": 0, "maximum": 100},
        "max_attempts": {"type": ["integer", "null"], "minimum": 1, "maximum": 32767},
        "wait_minutes_between_attempts": _count(2147483647),
        "shuffle_questions": _FLAG,
        "shuffle_options": _FLAG,
        "require_materials_completed": _FLAG,
        "allow_retake_after_pass": _FLAG,
        "review_mode": {"enum": [*REVIEW_MODES, None]},
        "available_from": _DATETIME,
        "available_until": _DATETIME,
        "quotas": {"type": ["array", "null"], "items": _QUOTA},
    },
}

# The pre-test: drawn from the same bank, one attempt, never deciding the course (so no
# passing grade or attempt settings).
_PRETEST: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["title", "question_count", "time_limit_minutes"],
    "properties": {
        "title": _title(),
        "question_count": {"type": "integer", "minimum": 1, "maximum": 32767},
        "time_limit_minutes": {"type": "integer", "minimum": 1, "maximum": 32767},
        "shuffle_questions": _FLAG,
        "shuffle_options": _FLAG,
        "available_from": _DATETIME,
        "available_until": _DATETIME,
    },
}

# Evaluation items as mooc.evaluation.models.EvaluationItem.
EVALUATION_ITEM_KINDS = ("scale", "text")

_EVALUATION_ITEM: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["group", "text", "kind"],
    "properties": {
        "group": _title(100),
        "text": _title(500),
        "kind": {"enum": list(EVALUATION_ITEM_KINDS)},
        "low_label": {"type": ["string", "null"], "maxLength": 60},
        "high_label": {"type": ["string", "null"], "maxLength": 60},
        "required": _FLAG,
        "per_instructor": _FLAG,
    },
}

# The course's evaluation: its settings and the template it uses (found by key).
_EVALUATION: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["template"],
    "properties": {
        "anonymous": _FLAG,
        "required_for_certificate": _FLAG,
        "template": {
            "type": "object",
            "additionalProperties": False,
            "required": ["key", "name", "items"],
            "properties": {
                "key": _ID,
                "name": _title(),
                "description": _TEXT,
                "items": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 200,
                    "items": _EVALUATION_ITEM,
                },
            },
        },
    },
}

COURSE_PACKAGE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://mooc.example.go.id/schemas/course-package-1.json",
    "title": "MOOC ASN course package manifest (course.yaml)",
    "type": "object",
    "additionalProperties": False,
    "required": ["format_version", "course"],
    "properties": {
        "format_version": {"const": FORMAT_VERSION},
        "course": _COURSE,
        "sections": {"type": "array", "items": _SECTION},
        "questions": {"type": "array", "items": _QUESTION_FILE},
        "exam": _EXAM,
        "pretest": _PRETEST,
        "evaluation": _EVALUATION,
        # Reserved: any shape is accepted and ignored.
        **{key: {} for key in RESERVED_TOP_LEVEL_KEYS},
    },
}
