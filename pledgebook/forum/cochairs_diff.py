"""A readable difference between two versions of a Co-Chairs' Summary (any two, not only
neighbours).

Each version is read as lines of text (:func:`text_lines`: the introduction's paragraphs, each
section's title, each point); :func:`compare` lines them up with ``difflib`` and, where a line
was changed rather than added or removed, marks the words deleted and inserted inside it.  The
template shows ``<del>`` and ``<ins>``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

#: What a line is: the introduction, a section's title or a point.
INTRODUCTION, HEADING, POINT = "introduction", "heading", "point"


@dataclass(frozen=True)
class Line:
    kind: str
    text: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.text)


@dataclass(frozen=True)
class Piece:
    """A run of words: ``same``, ``del`` (only in the older) or ``ins`` (only in the newer)."""

    op: str
    text: str


@dataclass(frozen=True)
class DiffLine:
    """One line of the comparison: ``same``, ``del`` (removed), ``ins`` (added) or ``changed``
    (the same line rewritten: its ``pieces`` mark the words)."""

    op: str
    kind: str
    pieces: tuple[Piece, ...]

    @property
    def label(self) -> str:
        return {
            INTRODUCTION: _("Introduction"),
            HEADING: _("Section"),
            POINT: _("Point"),
        }[self.kind]


def text_lines(content: dict[str, Any]) -> list[Line]:
    lines = [
        Line(INTRODUCTION, " ".join(p.split()))
        for p in str(content.get("introduction") or "").replace("\r\n", "\n").split("\n\n")
        if p.strip()
    ]
    for section in content.get("sections") or []:
        lines.append(Line(HEADING, " ".join(str(section.get("title", "")).split())))
        lines.extend(
            Line(POINT, " ".join(str(p.get("text", "")).split()))
            for p in section.get("points") or []
            if str(p.get("text", "")).strip()
        )
    return lines


def _words(text: str) -> list[str]:
    return re.findall(r"\S+\s*", text)


def word_diff(old: str, new: str) -> tuple[Piece, ...]:
    a, b = _words(old), _words(new)
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(Piece("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("del", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("ins", "".join(b[j1:j2])))
    return tuple(pieces)


def _similar(a: Line, b: Line) -> bool:
    return (
        a.kind == b.kind
        and difflib.SequenceMatcher(None, _words(a.text), _words(b.text)).ratio() >= 0.4
    )


def compare(older: dict[str, Any], newer: dict[str, Any]) -> list[DiffLine]:
    """Every line of both versions in reading order, each marked."""
    a, b = text_lines(older), text_lines(newer)
    result: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(None, [x.key for x in a], [y.key for y in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result.extend(DiffLine("same", x.kind, (Piece("same", x.text),)) for x in a[i1:i2])
            continue
        removed, added = list(a[i1:i2]), list(b[j1:j2])
        # A line rewritten (same kind, enough words in common) shows its words changed;
        # the rest are removed or added whole.
        while removed or added:
            if removed and added and _similar(removed[0], added[0]):
                old, new = removed.pop(0), added.pop(0)
                result.append(DiffLine("changed", new.kind, word_diff(old.text, new.text)))
            elif removed and (not added or not any(_similar(removed[0], y) for y in added)):
                old = removed.pop(0)
                result.append(DiffLine("del", old.kind, (Piece("del", old.text),)))
            else:
                new = added.pop(0)
                result.append(DiffLine("ins", new.kind, (Piece("ins", new.text),)))
    return result


def counts(lines: list[DiffLine]) -> dict[str, int]:
    found = {"del": 0, "ins": 0, "changed": 0}
    for line in lines:
        if line.op in found:
            found[line.op] += 1
    return found
