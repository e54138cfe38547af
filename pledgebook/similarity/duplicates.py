"""Is this the same initiative registered twice?  A pure scorer of two registry records.

The raw cosine of two embeddings cannot answer it alone: on the 2,650 UN Ocean Conference
commitments 2,648 records have a neighbour above 0.87, and neighbours cluster by language.  So
:func:`score_pair` combines what a secretariat looks at: the titles, the lead organisations,
the countries, the dates, how much of the wording the descriptions share, and the cosine of
their vectors, read differently when the two are written in different languages (a translation
shares no words, only meaning).

Call it on candidates (a record's nearest neighbours in the similarity index)::

    from pledgebook.similarity.duplicates import Record, score_pair

    a = Record(title=..., description=..., lead_organisation=..., countries=("Chile",),
               start_date=date(2022, 6, 1), end_date=None)
    result = score_pair(a, b, cosine=0.91)   # cosine of the two stored vectors
    result.score      # 0.0-1.0
    result.label      # "same" (probably the same initiative), "related" (possibly related)
                      # or None (not shown)
    result.reasons    # ("same title", "same lead organisation", ...), translated, for people

It takes no database, no model and no clock: the same inputs always give the same result.  The
weights and the two thresholds were chosen on the tuning part of a labelled set of real pairs
(tests/similarity/data/duplicate_pairs.jsonl, cosines of vectors of the first 96 tokens:
``SIMILARITY_MAX_TOKENS=96``; method and figures in docs/SIMILARITY.md).  On its held-out pairs
"same" has precision 0.79 at recall 0.70: a suggestion for a person to confirm, never a link
made without one.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from rapidfuzz import fuzz

#: At or above: "probably the same initiative" (link them as one).  The lowest score whose
#: precision on the tuning pairs is 0.95 (recall 0.74 there).
SAME_THRESHOLD = 0.64
#: At or above (and below SAME_THRESHOLD): "possibly related".  Keeps every tuning duplicate.
RELATED_THRESHOLD = 0.2

LABELS = {"same": "probably the same initiative", "related": "possibly related"}


@dataclass(frozen=True)
class Record:
    """What the scorer reads of a commitment (any registry record: nothing here is a model)."""

    title: str
    description: str = ""
    lead_organisation: str = ""
    countries: tuple[str, ...] = ()
    start_date: date | None = None
    end_date: date | None = None


@dataclass(frozen=True)
class PairScore:
    score: float  # 0-1; compare with SAME_THRESHOLD / RELATED_THRESHOLD, never show as a %
    label: str | None  # "same", "related" or None
    reasons: tuple[str, ...]  # translated, most telling first
    features: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def label_text(self) -> str:
        return _(LABELS[self.label]) if self.label else ""


# ---------------------------------------------------------------------------- text helpers

_STOP = {
    "en": [
        "the",
        "and",
        "of",
        "to",
        "in",
        "for",
        "with",
        "on",
        "is",
        "are",
        "by",
        "this",
        "will",
        "be",
        "from",
        "their",
        "that",
    ],
    "es": [
        "el",
        "la",
        "los",
        "las",
        "de",
        "del",
        "y",
        "en",
        "para",
        "con",
        "por",
        "que",
        "una",
        "un",
        "se",
        "su",
        "sus",
        "al",
    ],
    "fr": [
        "le",
        "la",
        "les",
        "des",
        "du",
        "et",
        "en",
        "pour",
        "avec",
        "par",
        "que",
        "une",
        "un",
        "sur",
        "dans",
        "au",
        "aux",
        "est",
    ],
    "pt": [
        "o",
        "a",
        "os",
        "as",
        "do",
        "da",
        "dos",
        "das",
        "e",
        "em",
        "para",
        "com",
        "por",
        "que",
        "uma",
        "um",
        "no",
        "na",
        "nos",
    ],
    "it": [
        "il",
        "lo",
        "la",
        "gli",
        "le",
        "di",
        "del",
        "della",
        "e",
        "per",
        "con",
        "che",
        "una",
        "un",
        "nel",
        "nella",
        "sono",
    ],
    "de": [
        "der",
        "die",
        "das",
        "und",
        "zu",
        "den",
        "mit",
        "von",
        "ist",
        "ein",
        "eine",
        "im",
        "für",
        "auf",
        "des",
    ],
    "id": ["dan", "yang", "di", "untuk", "dengan", "ini", "dari", "dalam", "pada", "ke", "akan"],
}
_LANGUAGE_NAMES = {
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "pt": "Portuguese",
    "it": "Italian",
    "de": "German",
    "id": "Indonesian",
    "zh": "Chinese",
    "ar": "Arabic",
    "ru": "Russian",
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation to spaces, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(_WORD.findall(text))


def language_of(text: str) -> str | None:
    """The language of a text: zh, ar or ru by its script, else en, es, fr, pt, it, de or id by
    its commonest words; None when too short to tell or in none of them."""
    sample = text[:3000]
    scripts = {
        "zh": sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff"),
        "ar": sum(1 for ch in sample if "\u0600" <= ch <= "\u06ff"),
        "ru": sum(1 for ch in sample if "\u0400" <= ch <= "\u04ff"),
    }
    script = max(scripts, key=lambda name: scripts[name])
    if scripts[script] >= 10:
        return script
    words = fold(sample).split()
    counts = dict.fromkeys(_STOP, 0)
    sets = {lang: set(stop) for lang, stop in _STOP.items()}
    for word in words:
        for lang, stop in sets.items():
            if word in stop:
                counts[lang] += 1
    best = max(counts, key=lambda lang: counts[lang])
    if counts[best] < 4:
        return None
    return best


def _language(record: Record) -> str | None:
    return language_of(f"{record.title}\n{record.description}")


def _same_org(a: str, b: str) -> bool:
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return False
    return fa == fb or fuzz.token_sort_ratio(fa, fb) >= 90


_NAME = re.compile(r"\b(?:[A-Z][\w'’-]{2,}|\d[\d.,]*\d)", re.UNICODE)
#: Capitalised words that name no particular initiative, place or body.
_GENERIC_WORDS = (
    "the this that these our we its their for and with from into under will has have "
    "ocean oceans sea seas marine coastal sdg sdgs goal goals un united nations global "
    "international national regional government ministry department agency project "
    "projects programme program commitment commitments initiative partnership support "
    "development sustainable conservation protection management plan strategy action "
    "conference voluntary through promote strengthen implementation research "
    "los las del para por con una este esta nuestro programa proyecto nacional "
    "les des pour avec une cette notre projet"
)
_GENERIC = set(_GENERIC_WORDS.split())


def anchors(text: str) -> set[str]:
    """The names a text carries: capitalised words, acronyms and numbers (folded), without the
    generic ones.  Names of places, bodies and programmes mostly survive a translation."""
    found = set()
    text = text[:2000]
    for match in _NAME.finditer(text):
        before = text[: match.start()].rstrip()
        if not before or before[-1] in '.!?:;\n•-("':  # a sentence's first word
            continue
        raw = match.group()
        word = fold(raw) or raw.replace(",", "").replace(".", "")
        if word and word not in _GENERIC and not any(word in stop for stop in _STOP.values()):
            found.add(word)
    return found


def _title_names(record: Record, description_names: set[str]) -> set[str]:
    """Names in the title: acronyms, numbers, and capitalised words the description also
    capitalises (a title in title case capitalises every word)."""
    names = set()
    for raw in _NAME.findall(record.title):
        word = fold(raw) or raw.replace(",", "").replace(".", "")
        if word in description_names or raw.isupper() or not fold(raw):
            names.add(word)
    return names - _GENERIC


def _words(text: str) -> set[str]:
    return {w for w in fold(text[:2000]).split() if len(w) >= 4}


def _countries(record: Record) -> set[str]:
    return {fold(c) for c in record.countries if fold(c)}


# ------------------------------------------------------------------------------- the model

# Logistic weights over the features below, fitted on the 185 tuning pairs by
# ``bench/duplicates_eval.py --fit`` (Newton's method, ridge 0.1); the weights of correlated
# features (title, description) are not readable one by one.
WEIGHTS = {
    "bias": -2.38,
    "title": -0.13,  # token-sort similarity of the folded titles, 0-1
    "names": 2.1,  # share of the names (capitalised words, acronyms, numbers) in common
    "title_names_differ": -4.56,  # each title names something the other does not
    "words": 0.8,  # Jaccard of the descriptions' words of 4 letters or more
    "same_title": 2.39,
    "description": -2.48,  # character similarity of the descriptions' starts, 0-1
    "cosine": 4.68,  # (cosine - 0.85) / 0.15, clipped to 0-1, same language
    "cosine_cross": 9.88,  # the same for two languages
    "lead": 0.27,
    "countries_overlap": 0.96,
    "countries_disjoint": -0.42,
    "same_dates": 2.22,
    "template": -0.91,
}


def _features(
    a: Record, b: Record, cosine: float
) -> tuple[dict[str, float], tuple[str | None, str | None]]:
    ta, tb = fold(a.title), fold(b.title)
    da, db = fold(a.description)[:1500], fold(b.description)[:1500]
    la, lb = _language(a), _language(b)
    cross = la is not None and lb is not None and la != lb
    ca, cb = _countries(a), _countries(b)
    cos01 = min(1.0, max(0.0, (cosine - 0.85) / 0.15))
    da_names, db_names = anchors(a.description), anchors(b.description)
    ta_names, tb_names = _title_names(a, da_names), _title_names(b, db_names)
    na, nb = da_names | ta_names, db_names | tb_names
    wa, wb = _words(a.description), _words(b.description)
    features = {
        "title": fuzz.token_sort_ratio(ta, tb) / 100 if ta and tb else 0.0,
        "names": len(na & nb) / min(len(na), len(nb)) if min(len(na), len(nb)) >= 2 else 0.0,
        "title_names_differ": float(
            not cross
            and bool(ta_names - nb - set(tb.split()))
            and bool(tb_names - na - set(ta.split()))
        ),
        "words": len(wa & wb) / len(wa | wb) if wa and wb else 0.0,
        "same_title": float(bool(ta) and ta == tb),
        "description": fuzz.ratio(da, db) / 100 if da and db else 0.0,
        "cosine": 0.0 if cross else cos01,
        "cosine_cross": cos01 if cross else 0.0,
        "lead": float(_same_org(a.lead_organisation, b.lead_organisation)),
        "countries_overlap": (len(ca & cb) / len(ca | cb)) if ca and cb else 0.0,
        "countries_disjoint": float(bool(ca) and bool(cb) and not (ca & cb)),
        # One text registered by several bodies for several places: signatories of one set
        # of principles, one donor's template for each country (not one initiative).
        "template": float(
            fuzz.ratio(da, db) >= 90
            and not _same_org(a.lead_organisation, b.lead_organisation)
            and bool(ca)
            and bool(cb)
            and not (ca & cb)
        ),
        "same_dates": float(
            a.start_date is not None
            and a.start_date == b.start_date
            and a.end_date is not None
            and a.end_date == b.end_date
        ),
    }
    return features, (la, lb)


def _reasons(
    f: dict[str, float],
    languages: tuple[str | None, str | None],
    cosine: float,
    shared_names: list[str],
) -> list[str]:
    reasons = []
    if f["same_title"]:
        reasons.append(_("same title"))
    elif f["title"] >= 0.8:
        reasons.append(_("nearly the same title"))
    if f["lead"]:
        reasons.append(_("same lead organisation"))
    la, lb = languages
    cross = la is not None and lb is not None and la != lb
    if not cross and f["description"] >= 0.9:
        reasons.append(_("the same description"))
    elif not cross and f["description"] >= 0.6:
        reasons.append(_("much of the description is the same wording"))
    if cosine >= 0.85:
        reasons.append(_("similar description (cosine %(cosine).2f)") % {"cosine": cosine})
    if shared_names and f["names"] >= 0.5:
        reasons.append(_("both name %(names)s") % {"names": ", ".join(shared_names[:3])})
    if la is not None and lb is not None and la != lb:
        reasons.append(
            _("one is in %(a)s, the other in %(b)s")
            % {"a": _(_LANGUAGE_NAMES[la]), "b": _(_LANGUAGE_NAMES[lb])}
        )
    if f["countries_disjoint"]:
        reasons.append(_("different countries"))
    elif f["countries_overlap"] >= 0.5:
        reasons.append(_("same countries"))
    if f["same_dates"]:
        reasons.append(_("same start and end dates"))
    return reasons


def score_pair(a: Record, b: Record, cosine: float) -> PairScore:
    """How likely ``a`` and ``b`` are one initiative registered twice.

    ``cosine`` is the cosine of the two records' stored vectors (``engine`` scores, raw, not
    calibrated).  Returns a :class:`PairScore`: ``score`` in [0, 1], ``label`` ("same" at or
    above :data:`SAME_THRESHOLD`, "related" at or above :data:`RELATED_THRESHOLD`, else None)
    and the human ``reasons`` behind it.  Symmetric: ``score_pair(a, b, c) ==
    score_pair(b, a, c)`` up to the order of the languages in a reason."""
    f, languages = _features(a, b, cosine)
    text_a = f"{a.title}\n{a.description}"
    spelled = {
        fold(raw) or raw.replace(",", "").replace(".", ""): raw
        for raw in reversed(_NAME.findall(text_a[:2000]))
    }
    shared = sorted(
        (
            spelled.get(name, name)
            for name in anchors(text_a) & anchors(f"{b.title}\n{b.description}")
        ),
        key=lambda name: (name.isdigit(), -len(name), name),
    )
    z = WEIGHTS["bias"] + sum(WEIGHTS[name] * value for name, value in f.items())
    score = 1.0 / (1.0 + math.exp(-z))
    label = "same" if score >= SAME_THRESHOLD else "related" if score >= RELATED_THRESHOLD else None
    return PairScore(
        score=round(score, 4),
        label=label,
        reasons=tuple(_reasons(f, languages, cosine, shared)),
        features=f,
    )
