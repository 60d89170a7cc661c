"""Compile mooc/locale/*/LC_MESSAGES/*.po to .mo with polib, without GNU gettext.

The compiled catalogues are committed, so running the site never needs gettext.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parent.parent / "mooc" / "locale"


def main() -> int:
    problems = 0
    for po_path in sorted(ROOT.glob("*/LC_MESSAGES/*.po")):
        catalogue = polib.pofile(str(po_path))
        missing = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
        if missing and po_path.parts[-3] != "en":
            problems += len(missing)
            for msgid in missing:
                print(f"{po_path}: untranslated or fuzzy: {msgid!r}", file=sys.stderr)
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"compiled {po_path.relative_to(ROOT.parent.parent)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
