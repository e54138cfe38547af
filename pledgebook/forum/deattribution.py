"""Texts of the Co-Chairs' Summary "presented collectively and without attribution to any
individual member" (seed 002): the names of the people and organisations behind an event's
sessions, removed from every text that goes into the compiled draft.

:func:`names_of_event` collects the names (organisers, speakers and their affiliations,
organising, proposing and stating organisations, makers of announced commitments, the
respondents of the event's consultations); :class:`Deattributor` removes them:

- whole words only, case-insensitively, Unicode-aware (texts and names in NFC; ``\\w`` is
  Unicode's), so a name "Ana" leaves "banana" and "Analysis" alone and "Art" leaves
  "partnership" and "article";
- the longest name first at each place ("UN Women" before "UN");
- straight and curly apostrophes, hyphens and runs of spaces in a name match each other
  ("Women's Fund" / "Women’s Fund");
- each name is replaced with a neutral wording, "a participant" (a person) or "a participating
  organisation", and the sentence tidied: an article before the name is dropped ("the UN
  Women programme" → "a participating organisation programme"), a possessive kept ("a
  participant's proposal"), the first word of a sentence capitalised, an affiliation after a
  person dropped ("Ana Lima (UN Women)" → "a participant"), and lists of names made plural
  ("Ana, Bo and Chen" → "participants").

Names that an editor writes into a later version are the editor's choice: only the compiled
draft goes through here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext

PERSON = "person"
ORGANISATION = "organisation"
#: One word of a person's name said alone ("Young" of "Grace Young"): removed only as written,
#: capitalised, so that the ordinary words "young", "grace" or "will" of a text survive.
PERSON_PART = "person_part"

#: Parts of a person's name never removed on their own (a title, a particle): "Dr" or "de"
#: alone identifies nobody, and removing them would damage ordinary text.
_NOT_A_NAME_ALONE = {
    "dr",
    "mr",
    "mrs",
    "ms",
    "mx",
    "prof",
    "sir",
    "dame",
    "hon",
    "he",
    "h.e",
    "amb",
    "de",
    "da",
    "do",
    "dos",
    "das",
    "del",
    "della",
    "di",
    "du",
    "la",
    "le",
    "van",
    "von",
    "der",
    "den",
    "al",
    "el",
    "bin",
    "bint",
    "ibn",
    "jr",
    "sr",
}
_TITLES = {"dr", "mr", "mrs", "ms", "mx", "prof", "sir", "dame", "hon", "he", "h.e", "amb"}
_WORD = re.compile(r"\w+")
_APOSTROPHES = "'’ʼ"
_HYPHENS = "-‐‑–"
_SENTENCE_END = re.compile(r"(?:^|[.!?]|\n)[\s\"“‘'(\[]*$")
_ARTICLE_BEFORE = re.compile(r"(?<!\w)(the|a|an)\s+$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"[" + _APOSTROPHES + r"]s?(?!\w)")
_LIST_JOIN = re.compile(r",?\s+(?:and|or|&)\s+|,\s*", re.IGNORECASE)
_AFFILIATION_OPEN = re.compile(r"^\s*(?:\(\s*|,\s*|\s+(?:of|from)\s+)$", re.IGNORECASE)


def normal(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _name_body(name: str) -> str:
    parts: list[str] = []
    for char in name:
        if char.isspace():
            if not parts or parts[-1] != r"\s+":
                parts.append(r"\s+")
        elif char in _APOSTROPHES:
            parts.append("[" + _APOSTROPHES + "]")
        elif char in _HYPHENS:
            parts.append("[" + _HYPHENS + "]")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


def _name_pattern(name: str, *, ignore_case: bool = True) -> re.Pattern[str]:
    """``name`` as a whole word; whatever its case, or (``ignore_case`` False) as written or in
    capitals ("Pérez", "PÉREZ", not "pérez")."""
    if ignore_case:
        return re.compile(_name_body(name) + r"(?!\w)", re.IGNORECASE)
    return re.compile(f"(?:{_name_body(name)}|{_name_body(name.upper())})" + r"(?!\w)")


@dataclass(frozen=True)
class _Mention:
    kind: str
    possessive: str  # "" or the apostrophe (and "s") that followed the name
    plural: bool = False


class Deattributor:
    """Removes the given names (``(name, PERSON | ORGANISATION)``) from texts.

    A name shorter than two characters, or without a letter or digit, is ignored."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        chosen: dict[str, tuple[str, str]] = {}
        for raw, kind in names:
            name = normal(" ".join((raw or "").split()))
            key = name.casefold()
            if len(name) < 2 or not _WORD.search(name) or key in chosen:
                continue
            chosen[key] = (name, kind)
        self.names = sorted(chosen.values(), key=lambda item: (-len(item[0]), item[0]))
        # Each name is tried only where a word equal to its first word starts (the text's
        # words are looked up, not every name tried at every place): hundreds of names cost
        # no more than a few.
        self._by_first_word: dict[str, list[tuple[re.Pattern[str], str]]] = {}
        self._anywhere: list[tuple[re.Pattern[str], str]] = []
        for name, kind in self.names:
            part = kind == PERSON_PART
            entry = (_name_pattern(name, ignore_case=not part), PERSON if part else kind)
            if _WORD.match(name):
                first = _WORD.match(name)
                assert first is not None
                self._by_first_word.setdefault(first.group().casefold(), []).append(entry)
            else:  # the name starts with punctuation ("#MeToo Network", "(RED)")
                self._anywhere.append(entry)

    def __bool__(self) -> bool:
        return bool(self.names)

    def _matches(self, text: str) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        for pattern, kind in self._anywhere:
            for m in pattern.finditer(text):
                if m.start() == 0 or not (
                    text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"
                ):
                    found.append((m.start(), m.end(), kind))
        for word in _WORD.finditer(text):
            for pattern, kind in self._by_first_word.get(word.group().casefold(), ()):
                hit = pattern.match(text, word.start())
                if hit:
                    found.append((hit.start(), hit.end(), kind))
                    break
        # Longest first, then leftmost; overlapping ones dropped.
        found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
        kept: list[tuple[int, int, str]] = []
        end = 0
        for start, stop, kind in found:
            if start >= end:
                kept.append((start, stop, kind))
                end = stop
        return kept

    def __call__(self, text: str) -> str:
        text = normal(text or "")
        if not self.names or not text:
            return text
        matches = self._matches(text)
        if not matches:
            return text
        pieces: list[str | _Mention] = []
        position = 0
        for start, stop, kind in matches:
            if start < position:  # swallowed by the previous one's possessive
                continue
            pieces.append(text[position:start])
            possessive = _POSSESSIVE.match(text, stop)
            pieces.append(_Mention(kind, possessive.group() if possessive else ""))
            position = possessive.end() if possessive else stop
        pieces.append(text[position:])
        return _render(_collapse(pieces))


def _collapse(pieces: list[str | _Mention]) -> list[str | _Mention]:
    """Drop an organisation given as a person's affiliation (or any name in brackets after a
    person's); make lists of names plural."""
    out: list[str | _Mention] = []
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        # person, then " (" / ", " / " of " / " from " an organisation ( ")" / "," )
        if (
            isinstance(piece, _Mention)
            and piece.kind == PERSON
            and not piece.possessive
            and i + 2 < len(pieces)
            and isinstance(pieces[i + 1], str)
            and isinstance(pieces[i + 2], _Mention)
            and _AFFILIATION_OPEN.match(pieces[i + 1])  # type: ignore[arg-type]
            # an organisation after a person, or any name in brackets after one
            and (
                pieces[i + 2].kind == ORGANISATION  # type: ignore[union-attr]
                or "(" in str(pieces[i + 1])
            )
        ):
            opener = str(pieces[i + 1])
            after = str(pieces[i + 3]) if i + 3 < len(pieces) else ""
            closing = ")" if "(" in opener else ("," if opener.strip() == "," else "")
            if closing and after.lstrip().startswith(closing):
                after = after.lstrip()[1:]
            elif closing:  # not a clean affiliation: leave it
                out.append(piece)
                i += 1
                continue
            out.append(_Mention(PERSON, ""))
            pieces = [*pieces[: i + 3], after, *pieces[i + 4 :]]
            i += 3
            continue
        out.append(piece)
        i += 1
    # Two names of people side by side with only spaces between them are one person
    # ("Lucía" "Pérez" when only the parts are known).
    joined: list[str | _Mention] = []
    for piece in out:
        if (
            isinstance(piece, _Mention)
            and piece.kind == PERSON
            and len(joined) >= 2
            and isinstance(joined[-1], str)
            and joined[-1] != ""
            and not joined[-1].strip()
            and isinstance(joined[-2], _Mention)
            and joined[-2].kind == PERSON  # type: ignore[union-attr]
            and not joined[-2].possessive  # type: ignore[union-attr]
        ):
            joined.pop()
            joined[-1] = piece
            continue
        joined.append(piece)
    out = joined
    # Lists: M (", " M)* (", and " | " and " | " or ") M, all of one kind, none possessive but
    # maybe the last.
    merged: list[str | _Mention] = []
    i = 0
    while i < len(out):
        piece = out[i]
        if isinstance(piece, _Mention) and not piece.possessive:
            j = i
            while (
                j + 2 < len(out)
                and isinstance(out[j + 1], str)
                and isinstance(out[j + 2], _Mention)
                and out[j + 2].kind == piece.kind  # type: ignore[union-attr]
                and _LIST_JOIN.fullmatch(str(out[j + 1]))
            ):
                j += 2
                if out[j].possessive:  # type: ignore[union-attr]
                    break
            if j > i:
                last = out[j]
                assert isinstance(last, _Mention)
                merged.append(_Mention(piece.kind, last.possessive, plural=True))
                i = j + 1
                continue
        merged.append(piece)
        i += 1
    return merged


def _wording(mention: _Mention) -> str:
    if mention.kind == PERSON:
        phrase = gettext("participants") if mention.plural else gettext("a participant")
    else:
        phrase = (
            gettext("participating organisations")
            if mention.plural
            else gettext("a participating organisation")
        )
    if mention.possessive:
        apostrophe = mention.possessive[0]
        phrase += apostrophe if mention.plural else apostrophe + "s"
    return phrase


def _render(pieces: list[str | _Mention]) -> str:
    out = ""
    for piece in pieces:
        if isinstance(piece, str):
            out += piece
            continue
        capital = False
        article = _ARTICLE_BEFORE.search(out)
        if article:
            capital = article.group(1)[0].isupper()
            out = out[: article.start()]
        phrase = _wording(piece)
        if capital or _SENTENCE_END.search(out):
            phrase = phrase[0].upper() + phrase[1:]
        out += phrase
    return out


def _person_names(full: str, first: str = "", last: str = "") -> list[tuple[str, str]]:
    """A person's full name, and each part of it alone (first, last, other given names)."""
    full = " ".join(full.split())
    names = [(full, PERSON)] if full else []
    untitled = [p for p in full.split() if p.casefold().rstrip(".") not in _TITLES]
    if 1 < len(untitled) < len(full.split()):  # "Dr. Lucía Pérez" also as "Lucía Pérez"
        names.append((" ".join(untitled), PERSON))
    parts = [p for p in (first, last) if p] + full.split()
    for part in parts:
        part = part.strip(",")
        if len(part) >= 2 and part.casefold().rstrip(".") not in _NOT_A_NAME_ALONE:
            names.append((part, PERSON_PART))
    return names


_ACRONYM = re.compile(r"^(?P<name>.+?)\s*\((?P<acronym>[^()]{2,20})\)$")


def _organisation_names(name: str) -> list[tuple[str, str]]:
    """An organisation's name, and "World Health Organization (WHO)" also as its two parts."""
    name = " ".join((name or "").split())
    if not name:
        return []
    names = [(name, ORGANISATION)]
    m = _ACRONYM.match(name)
    if m:
        names += [(m.group("name"), ORGANISATION), (m.group("acronym"), ORGANISATION)]
    return names


def names_of_event(event: Any) -> list[tuple[str, str]]:
    """Every person and organisation name behind the event's sessions and consultations."""
    from pledgebook.forum.models import (
        AnnouncedCommitment,
        ConsultationResponse,
        SideEventProposal,
        Speaker,
        Statement,
    )
    from pledgebook.organisations.models import Organisation

    names: list[tuple[str, str]] = []
    user_model = get_user_model()
    for first, last in (
        user_model.objects.filter(organised_sessions__event=event)
        .distinct()
        .values_list("first_name", "last_name")
    ):
        names += _person_names(f"{first} {last}", first, last)
    for name, affiliation in Speaker.objects.filter(session__event=event).values_list(
        "name", "affiliation"
    ):
        names += _person_names(name)
        names += _organisation_names(affiliation)
    for name, organisation in ConsultationResponse.objects.filter(
        consultation__event=event
    ).values_list("name", "organisation_name"):
        names += _person_names(name)
        names += _organisation_names(organisation)
    for maker in AnnouncedCommitment.objects.filter(summary__session__event=event).values_list(
        "maker", flat=True
    ):
        names += _organisation_names(maker)
    organisations = (
        Organisation.objects.filter(forum_sessions__event=event).values_list("name", flat=True),
        Organisation.objects.filter(
            pk__in=Speaker.objects.filter(session__event=event).values("organisation")
        ).values_list("name", flat=True),
        Organisation.objects.filter(
            pk__in=Statement.objects.filter(session__event=event).values("organisation")
        ).values_list("name", flat=True),
        Organisation.objects.filter(
            pk__in=SideEventProposal.objects.filter(event=event).values("organisation")
        ).values_list("name", flat=True),
        Organisation.objects.filter(co_organised_proposals__event=event).values_list(
            "name", flat=True
        ),
        Organisation.objects.filter(
            commitments__announcements__summary__session__event=event
        ).values_list("name", flat=True),
    )
    for query in organisations:
        for name in set(query):
            names += _organisation_names(name)
    return names


def for_event(event: Any) -> Deattributor:
    return Deattributor(names_of_event(event))
