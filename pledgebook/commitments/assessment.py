"""The five criteria of a strong commitment (seed 001, section 7), judged from what a
commitment says and carries, with a reason in the maker's own words and what to add.

Each criterion reads the fields (amount, end date, milestones, countries, co-makers,
endorsement level) and the text (title, description, milestones), in English, French,
Spanish and Portuguese, accents or not (registry texts often lost theirs):

- potential for impact: who or what is reached and how many or how much (people, places,
  hectares, tonnes, a share of an area), and where;
- funding: an amount, in the amount field or in the text in any currency, not declared to be
  existing funds;
- level of endorsement: the top of the maker's own ladder (:data:`LADDER`: a head of state or
  minister for a government, the mayor or council for a city, the chief executive or board
  for a company, the director or board for an NGO or a university...), from the endorsement
  level or from the text ("approved by the Board", "firmado por la alcaldesa");
- collective nature: confirmed co-makers, or partners named (the partners list or the text);
- SMART: a measurable target (a number with its unit, a percentage, a baseline and a target)
  and a deadline (an end date, a dated milestone, or a year in the text).

Reviewers can override any criterion with a note (:class:`AssessmentOverride`); the computed
value stays visible beside the override.  The public page ``/how-commitments-are-assessed/``
renders :data:`CRITERIA`, :data:`CHECKS` and :data:`LADDER`, so the rules are documented where
they live.  Agreement with careful human judgement is measured on a labelled set
(``tests/commitments/data/assessment_labelled.jsonl``, ``bench/assessment_agreement.py``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pledgebook.commitments.models import AssessmentOverride, EndorsementLevel
from pledgebook.commitments.validation import CommitmentData
from pledgebook.organisations.models import Category

CRITERIA = {
    "impact": gettext_lazy("Potential for impact"),
    "funding": gettext_lazy("Funding"),
    "endorsement": gettext_lazy("Level of endorsement"),
    "collective": gettext_lazy("Collective nature"),
    "smart": gettext_lazy("SMART"),
}

#: How each criterion is computed, in words (the public rules page lists these).
CHECKS = {
    "impact": [
        gettext_lazy(
            "The commitment says whom or what it reaches and how many or how much: a number "
            "with its unit (people, women, fishers, households, schools, municipalities, "
            "countries, hectares, kilometres, tonnes...) or a percentage, in the title, the "
            "description or a milestone, in English, French, Spanish or Portuguese."
        ),
        gettext_lazy(
            "A sentence about the past (“in the past years we removed…”, “since 2015…”) "
            "does not count: the reach must be what the commitment aims for."
        ),
        gettext_lazy(
            "It says where: countries, regions or a regional or global scope, or a place "
            "named in the text."
        ),
    ],
    "funding": [
        gettext_lazy(
            "An amount is given, in the amount field or in the text in any currency "
            "(“USD 2 million”, “1,2 millones de dólares”, “150 millions de francs CFA”, "
            "“120 mil euros”)."
        ),
        gettext_lazy(
            "The funds are not declared to be existing ones (“funds are new: no”, or “from "
            "our existing budget” in the text): strong commitments bring new or scaled funds."
        ),
    ],
    "endorsement": [
        gettext_lazy(
            "The level of endorsement, or a sentence of the text (“approved by the Board”, "
            "“endossé par le maire”, “firmado por la alcaldesa”, “anunciado pelo "
            "Primeiro-Ministro”), is at the top of the ladder of the maker's category, below."
        ),
    ],
    "collective": [
        gettext_lazy("At least one co-maker organisation has confirmed its part, or"),
        gettext_lazy(
            "partner organisations other than the maker itself are named, in the partners "
            "list or in the text (“in partnership with…”, “en colaboración con…”, “en "
            "partenariat avec…”, “em parceria com…”)."
        ),
    ],
    "smart": [
        gettext_lazy(
            "Measurable: a target with a number and its unit or a percentage (see potential "
            "for impact; outputs such as workshops, projects or articles count here)."
        ),
        gettext_lazy(
            "Time-bound: an end date, a dated milestone, or a deadline year in the text "
            "(“by 2030”, “d'ici 2028”, “para 2027”, “até 2029”)."
        ),
        gettext_lazy(
            "Attainable and relevant are left to the reviewers' judgement: they can override."
        ),
    ],
}

_H, _M, _E = (
    EndorsementLevel.HEAD_OF_STATE,
    EndorsementLevel.MINISTER,
    EndorsementLevel.EXECUTIVE,
)
_GOVERNMENTS = frozenset({Category.MEMBER_STATE, Category.GOVERNMENT, Category.PARLIAMENT})

#: The endorsement ladder, one place: for each group of organisation categories, the
#: endorsement levels that are the top of that organisation, and who that is in words.  The
#: stored levels are shared by every category ("Minister or head of organisation",
#: "Executive leadership or board"); what they mean depends on who endorses.
LADDER: tuple[tuple[frozenset[str], frozenset[str], object], ...] = (
    (
        _GOVERNMENTS,
        frozenset({_H, _M}),
        gettext_lazy("the Head of State or Government, or a minister"),
    ),
    (
        frozenset({Category.LOCAL_AUTHORITY}),
        frozenset({_H, _M, _E}),
        gettext_lazy("the mayor or governor (head of the authority), or its council"),
    ),
    (
        frozenset({Category.PRIVATE_SECTOR, Category.FINANCIAL_INSTITUTION}),
        frozenset({_H, _M, _E}),
        gettext_lazy("the chief executive or the board"),
    ),
    (
        frozenset({Category.UN_SYSTEM, Category.INTERNATIONAL, Category.IFI}),
        frozenset({_H, _M, _E}),
        gettext_lazy("the head of the entity or its governing body"),
    ),
)
_OTHERS_TOP = frozenset({_H, _M, _E})
_OTHERS_WHO = gettext_lazy("the director or the board")


def ladder_for(category: str) -> tuple[frozenset[str], str]:
    """The endorsement levels at the top for an organisation of ``category``, and who that is."""
    for categories, top, who in LADDER:
        if category in categories:
            return top, str(who)
    return _OTHERS_TOP, str(_OTHERS_WHO)


def ladder_rows() -> list[tuple[list[str], list[str], str]]:
    """The ladder for the rules page: (category labels, top level labels, who)."""
    listed = set().union(*(c for c, _t, _w in LADDER))
    rows = [
        (
            [str(Category(c).label) for c in Category if c in categories],
            [str(EndorsementLevel(level).label) for level in EndorsementLevel if level in top],
            str(who),
        )
        for categories, top, who in LADDER
    ]
    rows.append(
        (
            [str(Category(c).label) for c in Category if c not in listed],
            [str(EndorsementLevel(lv).label) for lv in EndorsementLevel if lv in _OTHERS_TOP],
            str(_OTHERS_WHO),
        )
    )
    return rows


@dataclass(frozen=True)
class CriterionResult:
    key: str
    label: str
    computed: bool
    met: bool
    advice: tuple[str, ...]
    override_note: str = ""
    #: Why it is met or not, quoting the commitment's own words where it can.
    reason: str = ""

    @property
    def overridden(self) -> bool:
        return bool(self.override_note)


@dataclass(frozen=True)
class Assessment:
    criteria: tuple[CriterionResult, ...]

    @property
    def score(self) -> int:
        return sum(1 for c in self.criteria if c.met)

    @property
    def label(self) -> str:
        if self.score == len(self.criteria):
            return _("Strong commitment")
        if self.score >= 3:
            return _("Good, can be strengthened")
        return _("Needs work")


# Reading the text --------------------------------------------------------------------------


@functools.cache
def _fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFKD", ch)[:1] or ch
    low = base.lower()
    return low if len(low) == 1 else base


def _fold(text: str) -> str:
    """Lower case without accents, one character for one (so that spans index the original).
    ASCII text is lowered as it is; other characters are folded once each and remembered (an
    API page assesses 50 commitments: folding character by character was half its time)."""
    if text.isascii():
        return text.lower()
    return "".join(map(_fold_char, text))


class _Text:
    """A commitment's words: the original (for quoting) and folded (for matching)."""

    def __init__(self, parts: Iterable[str]) -> None:
        self.original = "\n".join(p for p in parts if p)
        self.folded = _fold(self.original)

    def quote(self, match: re.Match[str]) -> str:
        return "“" + " ".join(self.original[match.start() : match.end()].split()) + "”"

    def sentence_of(self, match: re.Match[str]) -> str:
        """The folded sentence (or line) around a match."""
        start = max(self.folded.rfind(c, 0, match.start()) for c in ".\n;!?") + 1
        ends = [i for i in (self.folded.find(c, match.end()) for c in ".\n;!?") if i >= 0]
        return self.folded[start : min(ends) if ends else len(self.folded)]


def _words(*alternatives: str) -> str:
    return "(?:" + "|".join(alternatives) + ")"


# Small numbers written out, in the four languages (folded).
_SPELLED = (
    r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|fifty|hundreds?|"
    r"deux|trois|quatre|cinq|sept|huit|neuf|dix|douze|vingt|cinquante|centaines|"
    r"dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|doce|veinte|cincuenta|cientos|"
    r"dois|duas|quatro|sete|oito|nove|dez|doze|vinte|cinquenta|centenas"
)
# A number (not a year: "2025 proposals" is a date before a noun), its grouping in any of the
# registry's conventions (1,500 / 1.500 / 1 500), and a multiplier.
_NUMBER = (
    r"(?:(?<![\w.,])(?!(?:19|20)\d\d\b)(?:\d{1,3}(?:[ \u00a0.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    rf"|\b(?:{_SPELLED})\b)"
    r"(?:\s*(?:million|millions|millones|millon|milhoes|milhao|milliards?|billion|billions|"
    r"thousand|mil|bn|m|k)\b)?"
)
# People and places a commitment reaches (English, French, Spanish, Portuguese; folded).
_REACH_UNITS = _words(
    r"people",
    r"persons?",
    r"personas?",
    r"personnes?",
    r"pessoas?",
    r"women",
    r"mujeres",
    r"femmes",
    r"mulheres",
    r"girls",
    r"ninas",
    r"filles",
    r"meninas",
    r"men",
    r"boys",
    r"youth",
    r"young people",
    r"jovenes",
    r"jeunes",
    r"jovens",
    r"children",
    r"ninos",
    r"enfants",
    r"criancas",
    r"students",
    r"estudiantes",
    r"etudiants",
    r"eleves",
    r"estudantes",
    r"alunos",
    r"teachers",
    r"docentes",
    r"maestr[oa]s",
    r"enseignants",
    r"professores",
    r"farmers",
    r"agricultores",
    r"agriculteurs",
    r"fishers",
    r"fishermen",
    r"fisherfolk",
    r"pescadores",
    r"pecheurs",
    r"households",
    r"hogares",
    r"menages",
    r"families",
    r"familias",
    r"familles",
    r"communities",
    r"comunidades",
    r"communautes",
    r"villages",
    r"aldeas",
    r"aldeias",
    r"municipalities",
    r"municipios",
    r"municipalidades",
    r"communes",
    r"cities",
    r"ciudades",
    r"villes",
    r"cidades",
    r"schools",
    r"escuelas",
    r"ecoles",
    r"escolas",
    r"beneficiaries",
    r"beneficiarios",
    r"beneficiaires",
    r"jobs",
    r"empleos",
    r"emplois",
    r"empregos",
    r"volunteers",
    r"voluntarios",
    r"benevoles",
    r"residents",
    r"citizens",
    r"inhabitants",
    r"habitantes",
    r"habitants",
    r"moradores",
    r"officers",
    r"guides",
    r"members",
    r"miembros",
    r"membres",
    r"membros",
    r"vessels",
    r"embarcaciones",
    r"barcos",
    r"navires",
    r"countries",
    r"paises",
    r"pays",
    r"states",
    r"estados",
    r"etats",
    r"islands",
    r"islas",
    r"iles",
    r"ilhas",
    r"counties",
    r"districts",
    r"distritos",
    r"regions",
    r"regiones",
    r"regioes",
    r"provinces",
    r"provincias",
    r"cerros",
    r"comites",
    r"committees",
    r"groupements",
    r"cooperatives",
    r"cooperativas",
    r"hectares?",
    r"hectareas?",
    r"ha",
    r"acres",
    r"km2",
    r"km²",
    r"km",
    r"square kilometres",
    r"kilometres",
    r"kilometers",
    r"kilometros",
    r"quilometros",
    r"miles",
    r"tonnes",
    r"tons",
    r"toneladas",
    r"t",
    r"kg",
    r"litres",
    r"liters",
    r"litros",
    r"reefs",
    r"arrecifes",
    r"recifs",
    r"recifes",
    r"beaches",
    r"playas",
    r"plages",
    r"praias",
    r"marine protected areas",
    r"protected areas",
    r"mpas",
    # Registry texts often lost their accented letters altogether ("reas" for "áreas").
    r"a?reas (?:marinas|marinhas|protegidas)(?: protegidas)?",
    r"aires (?:marines|protegees)(?: proteg\w*)?",
    r"zones",
    r"zonas",
    r"sites",
    r"species",
    r"especies",
    r"especes",
    r"fisheries",
    r"pesquerias",
    r"pecheries",
    r"turtles",
    r"tortugas",
    r"tortues",
    r"tartarugas",
)
# Outputs: measurable, but not a reach.
_OUTPUT_UNITS = _words(
    r"workshops?",
    r"talleres",
    r"ateliers?",
    r"oficinas",
    r"trainings?",
    r"courses",
    r"cursos",
    r"formations",
    r"projects?",
    r"proyectos",
    r"projets",
    r"projetos",
    r"proposals",
    r"initiatives",
    r"iniciativas",
    r"articles",
    r"articulos",
    r"artigos",
    r"papers",
    r"publications",
    r"publicaciones",
    r"reports",
    r"informes",
    r"rapports",
    r"relatorios",
    r"clean-?ups",
    r"surveys",
    r"campaigns",
    r"campanas",
    r"campagnes",
    r"campanhas",
    r"plans",
    r"planes",
    r"planos",
    r"puntos limpios",
    r"points?",
    r"events",
    r"eventos",
    r"evenements",
    r"mw",
    r"gw",
    r"mt",
    r"co2",
    r"m3",
    r"m",
)
_PERCENT = r"(?:\s?%|\s+(?:percent|per cent|por ciento|pour cent|pourcent|por cento)\b)"
# A number, up to three words (an adjective, "of", "de"), then the unit.
_FILLER = r"(?:\s+(?![\d])[\w'’-]+){0,3}?"
_REACH = re.compile(rf"{_NUMBER}(?:{_PERCENT}|{_FILLER}\s+{_REACH_UNITS}\b)")
_MEASURE = re.compile(rf"{_NUMBER}(?:{_PERCENT}|{_FILLER}\s+(?:{_REACH_UNITS}|{_OUTPUT_UNITS})\b)")
_PAST = re.compile(
    r"\b(?:in the past|past \d+ years|already|have been|has been|had|was|were|removed|"
    r"since (?:19|20)\d\d|ya|desde (?:19|20)\d\d|depuis (?:19|20)\d\d|deja|"
    r"ja foram|desde o ano)\b"
)
_YEAR = r"(?:20[0-9]\d)"
_DEADLINE = re.compile(
    r"\b(?:by|before|until|till|through|within|in|no later than|"
    r"d'ici|d’ici|dici|avant|jusqu'en|jusqu’en|jusqu'a|fin|en|"
    r"para|hasta|antes de|al ano|al ao|a finales de|en el ano|"
    r"ate|em|ate ao fim de|ate o final de)"
    r"(?:\s+(?:the end of|end of|fin|finales de|(?:[a-z]+\s+(?:de\s+)?))){0,2}\s*" + _YEAR + r"\b"
)
_MONEY = re.compile(
    r"(?:(?<![\w$])(?:usd|us\$|u\.s\. ?\$|\$|eur|€|gbp|£|chf|nzd|aud|cad|brl|r\$|clp|"
    r"mxn|cop|xof|fcfa|cfa|jpy|¥|inr|zar|kes)\s?"
    + _NUMBER
    + r"|"
    + _NUMBER
    + r"\s*(?:de\s+|d'|d’|of\s+)?"
    r"(?:usd|us\$|us dollars|dollars?|dolares|dolar|dollars americains|euros?|eur|€|gbp|"
    r"pounds|libras|livres|reais|real|brl|pesos|clp|mxn|francs cfa|francos cfa|fcfa|f cfa|"
    r"xof|cfa|nzd|aud|cad|yen|rupees|rupias|shillings|rand|chf)\b)"
)
_EXISTING_FUNDS = re.compile(
    r"\b(?:existing (?:core )?(?:budget|funds|resources|budget lines)|core budget|"
    r"fondos existentes|presupuesto existente|fonds existants|budget existant|"
    r"orcamento existente|fundos existentes|recursos existentes|recursos propios existentes)"
)
_NEW_FUNDS = re.compile(
    r"\b(?:new|additional|scaled[- ]up|nouveaux?|nouvelles?|additionnels?|supplementaires|"
    r"nuevos?|nuevas?|adicionales?|novos?|novas?|adicionais)\s+"
    r"(?:\w+\s+)?(?:funds?|funding|grants?|money|resources|fonds|financements?|"
    r"fondos|financiamiento|financiacion|recursos|fundos|financiamento|subventions|"
    r"donaciones|doacoes)"
    r"|(?:funds?|funding|fonds|fondos|fundos|financiamento|financement)\s+"
    r"(?:nouveaux|nuevos|novos|new|additionnels|adicionales|adicionais)"
)
_ENDORSE_VERB = (
    r"(?:endorsed|approved|adopted|signed|announced|launched|ratified|validated|backed|"
    r"endosse|endossee|approuve|approuvee|adopte|adoptee|signe|signee|annonce|annoncee|"
    r"valide|validee|entérine|enterine|"
    r"aprobad[oa]|avalad[oa]|respaldad[oa]|firmad[oa]|anunciad[oa]|adoptad[oa]|"
    r"refrendad[oa]|suscrit[oa]|"
    r"aprovad[oa]|endossad[oa]|assinad[oa]|anunciad[oa]|adotad[oa]|subscrit[oa]|"
    r"ratificad[oa])"
)
_BY = r"(?:by|par|por|pelo|pela|pel[oa]s)"
_DET = r"(?:\s+(?:the|its|our|their|le|la|l'|l’|les|son|sa|notre|el|la|su|nuestra|nuestro|o|a|"
_DET += r"nossa|nosso|sua|seu))?"
#: Who endorses, in words, and the stored level it amounts to.
_TITLES: tuple[tuple[str, str], ...] = (
    (
        r"head of (?:state|government)|prime minister|premier ministre|primer ministro|"
        r"primeira?-? ?ministr[oa]|primeiro-ministro|chef de l'etat|chef de l’etat|"
        r"jefe de estado|chefe de estado|president(?:e|a)? de la republi(?:que|ca)|"
        r"presidente da republica|president of the republic|president|presidente|presidenta",
        _H,
    ),
    (
        r"minister|ministre|ministr[oa]|secretary of state|secretaire d'etat|"
        r"mayor|maire|alcalde|alcaldesa|prefeit[oa]|intendente|governor|gouverneur|"
        r"gobernador(?:a)?|governador(?:a)?|chief executive(?: officer)?|ceo|pdg|"
        r"managing director|director[- ]general|directeur general|directrice generale|"
        r"diretor[a]? geral|executive director|directeur executif|directrice executive|"
        r"director(?:a)? ejecutiv[oa]|diretor(?:a)? executiv[oa]|secretary[- ]general|"
        r"secretaire general|secretario general|secretaria general|rector(?:a)?|reitor(?:a)?|"
        r"vice[- ]chancellor|head of (?:the )?(?:organi[sz]ation|agency|entity)|"
        r"director(?:a)?|directeur|directrice|diretor(?:a)?",
        _M,
    ),
    (
        r"board(?: of (?:directors|trustees|governors))?|(?:steering|governing|executive|"
        r"elected steering) (?:board|body|committee)|conseil d'administration|"
        r"conseil d’administration|conseil municipal|city council|council|"
        r"junta directiva|consejo directivo|consejo de administracion|concejo municipal|"
        r"concejo|direcao|conselho de administracao|conselho diretor|camara municipal|"
        r"intergovernmental session|general assembly|assemblee generale|asamblea general|"
        r"assembleia geral",
        _E,
    ),
)
_ENDORSEMENTS = tuple(
    (
        re.compile(
            rf"\b{_ENDORSE_VERB}\s+{_BY}{_DET}(?:\s+[\w'-]+)?\s+(?:{titles})\b"
            rf"|\b(?:{titles})(?:\s+[\w'’-]+){{0,4}}?\s+(?:has\s+|have\s+)?{_ENDORSE_VERB}\b"
        ),
        level,
    )
    for titles, level in _TITLES
)
_PARTNER_CUE = re.compile(
    r"\b(?:in partnership with|in collaboration with|in cooperation with|together with|"
    r"jointly with|co-designed with|partnering with|with partners|made with|"
    r"en partenariat avec|en collaboration avec|en cooperation avec|conjointement avec|"
    r"avec le soutien de|en colaboracion con|en alianza con|en asociacion con|junto con|"
    r"en conjunto con|en coordinacion con|em parceria com|em colaboracao com|"
    r"em cooperacao com|juntamente com|em conjunto com|em articulacao com)"
    r"(?:\s+[\w'’-]+){1,6}"
)


def _first(pattern: re.Pattern[str], text: _Text, *, future_only: bool = False) -> str:
    for match in pattern.finditer(text.folded):
        if future_only and _PAST.search(text.sentence_of(match)):
            continue
        return text.quote(match)
    return ""


def _money(amount: Decimal, currency: Any) -> str:
    return f"{number_format(amount, decimal_pos=0, force_grouping=True)} {currency.pk}"


# The criteria ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Judgement:
    met: bool
    reason: str
    advice: tuple[str, ...] = ()


def _texts(d: CommitmentData) -> _Text:
    return _Text([d.title, d.description, *(text for _day, text in d.milestones)])


def _where(d: CommitmentData) -> str:
    if d.countries:
        return ", ".join(str(c) for c in d.countries[:3]) + ("…" if len(d.countries) > 3 else "")
    if d.regions:
        return ", ".join(str(r) for r in d.regions[:3])
    if d.scope in ("global", "regional"):
        return str(_("global")) if d.scope == "global" else str(_("regional"))
    return ""


_PLACE = re.compile(
    r"\b(?:in|across|throughout|en|dans|em|no|na|nos|nas)\s+"
    r"(?:the |la |le |l'|el |los |las |les |o |a |os |as )?[A-Z][\w'’-]+"
)


def _impact(d: CommitmentData) -> _Judgement:
    text = _texts(d)
    reach = _first(_REACH, text, future_only=True)
    where = _where(d)
    if not where:
        place = _PLACE.search(text.original)
        where = text.quote(place) if place else ""
    if reach and where:
        return _Judgement(True, _("Reach: %(reach)s; where: %(where)s.") % locals())
    advice = []
    if not reach:
        advice.append(
            _(
                "Say whom the change reaches and how many or how much: for example “3,000 "
                "women farmers”, “120 hectares of mangrove”, “30% of our marine area”."
            )
        )
    if not where:
        advice.append(_("Say where the commitment applies: countries, regions or global."))
    reason = (
        _("No reach (how many people, places or how much area) is stated.")
        if not reach
        else _("%(reach)s is stated, but not where.") % {"reach": reach}
    )
    return _Judgement(False, reason, tuple(advice))


def _funding(d: CommitmentData) -> _Judgement:
    text = _texts(d)
    stated = _money(d.amount, d.currency) if d.amount is not None and d.currency else ""
    in_text = _first(_MONEY, text)
    amount = stated or in_text
    if not amount:
        return _Judgement(
            False,
            _("No amount is stated."),
            (
                _(
                    "State the resources behind the commitment: an amount and its currency, "
                    "in the budget of your organisation."
                ),
            ),
        )
    existing = _first(_EXISTING_FUNDS, text)
    new = _first(_NEW_FUNDS, text)
    if d.funds_are_new is False or (existing and d.funds_are_new is not True and not new):
        said = existing or _("the funds are stated not to be new")
        return _Judgement(
            False,
            _("%(amount)s, but %(said)s.") % {"amount": amount, "said": said},
            (_("Strong commitments bring new or scaled-up funds: say what is new in yours."),),
        )
    if d.funds_are_new or new:
        return _Judgement(
            True,
            _("%(amount)s, new or scaled funds (%(new)s).")
            % {
                "amount": amount,
                "new": new or _("stated new"),
            },
        )
    return _Judgement(True, _("%(amount)s.") % {"amount": amount})


def _endorsement(d: CommitmentData) -> _Judgement:
    category = str(getattr(d.organisation, "category", "") or "")
    top, who = ladder_for(category)
    text = _texts(d)
    if d.endorsement_level in top:
        return _Judgement(
            True,
            _("Endorsed by %(level)s, the top of the ladder for this organisation.")
            % {"level": EndorsementLevel(d.endorsement_level).label},
        )
    for pattern, level in _ENDORSEMENTS:
        match = pattern.search(text.folded)
        if match and level in top:
            return _Judgement(
                True, _("The commitment says %(words)s.") % {"words": text.quote(match)}
            )
    if d.endorsement_level:
        reason = _("%(level)s is below the top of the ladder for this organisation.") % {
            "level": EndorsementLevel(d.endorsement_level).label
        }
    else:
        reason = _("No level of endorsement is stated.")
    return _Judgement(
        False,
        reason,
        (_("Seek endorsement at the highest level: %(who)s.") % {"who": who},),
    )


def _named_partners(d: CommitmentData) -> list[str]:
    own = _fold(re.sub(r"\(.*?\)", "", str(d.organisation or ""))).strip()
    names = []
    for name in d.partners:
        plain = re.sub(r"\(.*?\)", "", name).strip(" .,;:-•\t")
        if plain and _fold(plain) != own:
            names.append(plain)
    return names


def _collective(d: CommitmentData) -> _Judgement:
    if d.confirmed_co_makers:
        return _Judgement(
            True,
            ngettext(
                "%(n)s co-maker confirmed its part.",
                "%(n)s co-makers confirmed their part.",
                d.confirmed_co_makers,
            )
            % {"n": d.confirmed_co_makers},
        )
    partners = _named_partners(d)
    if partners:
        shown = "; ".join(" ".join(p.split()[:12]) for p in partners[:3])
        return _Judgement(
            True,
            _("Partners named: %(partners)s%(more)s.")
            % {"partners": shown, "more": "…" if len(partners) > 3 else ""},
        )
    cue = _first(_PARTNER_CUE, _texts(d))
    if cue:
        return _Judgement(True, _("The commitment says %(words)s.") % {"words": cue})
    if len(d.co_makers) > d.declined_co_makers:
        return _Judgement(
            False,
            _("Co-makers are invited, none has confirmed yet."),
            (_("Waiting for your co-makers to confirm their part."),),
        )
    return _Judgement(
        False,
        _("No co-maker has confirmed and no partner is named."),
        (_("Design it with other stakeholders: invite co-makers from your coalition."),),
    )


def _deadline(d: CommitmentData, text: _Text) -> str:
    if d.ends_on:
        return _("it ends on %(date)s") % {"date": date_format(d.ends_on, "j F Y")}
    dated = sorted(day for day, _text in d.milestones if day)
    if dated:
        return _("it has a milestone on %(date)s") % {"date": date_format(dated[-1], "j F Y")}
    said = _first(_DEADLINE, text)
    return _("it says %(words)s") % {"words": said} if said else ""


def _smart(d: CommitmentData) -> _Judgement:
    text = _texts(d)
    measure = _first(_MEASURE, text, future_only=True)
    deadline = _deadline(d, text)
    if measure and deadline:
        return _Judgement(True, _("Target %(measure)s; %(deadline)s.") % locals())
    advice = []
    if not measure:
        advice.append(
            _("Name a measurable target and a date (for example “train 500 teachers by 2027”).")
        )
    if not deadline:
        advice.append(_("Make it time-bound: give an end date and say by when each result comes."))
    if measure:
        reason = _("%(measure)s is measurable, but no date says by when.") % {"measure": measure}
    elif deadline:
        reason = _("No measurable target (%(deadline)s).") % {"deadline": deadline}
    else:
        reason = _("No measurable target and no date.")
    return _Judgement(False, reason, tuple(advice))


_RULES = {
    "impact": _impact,
    "funding": _funding,
    "endorsement": _endorsement,
    "collective": _collective,
    "smart": _smart,
}


def assess(data: CommitmentData, overrides: Iterable[AssessmentOverride] = ()) -> Assessment:
    by_key = {o.criterion: o for o in overrides}
    results = []
    for key, rule in _RULES.items():
        judgement = rule(data)
        override = by_key.get(key)
        results.append(
            CriterionResult(
                key=key,
                label=str(CRITERIA[key]),
                computed=judgement.met,
                met=override.met if override else judgement.met,
                advice=judgement.advice,
                override_note=override.note if override else "",
                reason=judgement.reason,
            )
        )
    return Assessment(criteria=tuple(results))
