"""A simple, explainable reason to show beside a similarity score: the significant words that two
texts share (stop words of English, French and Spanish removed, case and accents ignored,
plurals folded)."""

import re
import unicodedata
from collections import Counter

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)

STOP_WORDS = frozenset(
    """
    a about above across after again against all almost also although always am among an and
    another any are around as at be because been before being below between both but by can
    could did do does doing done down during each either else enough etc even ever every few
    for from further get gets given go had has have having he her here hers him his how however
    i if in into is it its itself just least less like made make makes many may me might more
    most much must my no nor not now of off often on once one only or other others our ours out
    over own per rather same shall she should since so some such than that the their theirs them
    themselves then there these they this those through thus to too toward towards under until
    up upon us use used using very via was we were what when where whether which while who whom
    whose why will with within without would yet you your yours
    au aux avec ce ces cet cette dans de des du elle elles en entre est et eux il ils je la le
    les leur leurs lui mais me meme même mes moi mon ne nos notre nous ou où par pas pour qu que
    qui sa sans se ses son sont sur ta te tes toi ton tous tout toute toutes tu un une vos votre
    vous afin ainsi aussi être été fait faire plus très
    al algo como con contra cual cuando del desde donde el ella ellas ellos en entre era es esa
    esas ese eso esos esta estas este esto estos fue ha han hasta hay la las le les lo los mas
    más mi mis muy ni no nos nuestra nuestro o otra otras otro otros para pero por porque que
    quien se ser si sin sobre su sus también tanto te tiene tienen todo todos tu un una unas uno
    unos y ya
    ask asks aim aims coalition coalitions initiative initiatives alliance partnership partners
    work working works support supports ensure ensuring including include includes new well
    people countries country world global international level levels way ways need needs
    """.split()  # noqa: SIM905 (a list literal of 300 words would be unreadable)
)


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _key(word: str) -> str:
    """Comparison form: case and accents folded, a plural folded to its singular."""
    folded = _fold(word).replace("’", "'")
    if len(folded) > 4 and folded.endswith("ies"):
        return folded[:-3] + "y"
    if len(folded) > 3 and folded.endswith("s") and not folded.endswith(("ss", "us", "is")):
        return folded[:-1]
    return folded


def _significant(text: str) -> list[tuple[str, str]]:
    """(key, surface form) of the significant words of ``text``, in order."""
    words = []
    for match in _WORD.finditer(text or ""):
        word = match.group(0)
        folded = _fold(word)
        if len(folded) < 3 or folded in STOP_WORDS:
            continue
        words.append((_key(word), word.casefold()))
    return words


def top_terms_shared(text_a: str, text_b: str, limit: int = 5) -> list[str]:
    """Up to ``limit`` significant words found in both texts, as written in ``text_a`` (lower
    case).  Most frequent in the two texts first, then longer (more specific) words, then
    alphabetical: the same texts always give the same list."""
    words_a = _significant(text_a)
    counts_b = Counter(key for key, _ in _significant(text_b))
    counts_a = Counter(key for key, _ in words_a)
    surface: dict[str, str] = {}
    for key, word in words_a:
        if key in counts_b:
            surface.setdefault(key, word)
    ranked = sorted(surface, key=lambda key: (-(counts_a[key] + counts_b[key]), -len(key), key))
    return [surface[key] for key in ranked[:limit]]
