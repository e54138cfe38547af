"""Domain vocabulary and text assembly for the benchmark programme.

Titles, descriptions and organisation names are assembled from a few hundred domain words in
slots (verbs, groups, topics, outputs...).  Inside each slot the words follow a Zipf-like
distribution, so a search word can be very common ("women", "gender") or rare ("fistula"),
as in a real registry, and the benchmark can pick words that match 1-5 % of the rows.
"""

import itertools
import random
import re

VERBS = [
    "train",
    "fund",
    "expand",
    "establish",
    "strengthen",
    "support",
    "scale",
    "mobilise",
    "launch",
    "build",
    "deliver",
    "provide",
    "finance",
    "protect",
    "promote",
    "advance",
    "accelerate",
    "integrate",
    "reform",
    "monitor",
    "design",
    "implement",
    "double",
    "invest",
    "create",
    "develop",
    "improve",
    "increase",
    "reduce",
    "eliminate",
    "end",
    "prevent",
    "equip",
    "mentor",
    "connect",
    "host",
    "convene",
    "publish",
    "adopt",
    "enact",
    "pilot",
    "replicate",
    "institutionalise",
    "measure",
    "map",
]

GROUPS = [
    "women",
    "girls",
    "adolescent girls",
    "young women",
    "youth",
    "women farmers",
    "women entrepreneurs",
    "survivors of violence",
    "migrant women",
    "refugees",
    "indigenous women",
    "rural women",
    "domestic workers",
    "health workers",
    "midwives",
    "teachers",
    "nurses",
    "students",
    "mothers",
    "widows",
    "community leaders",
    "activists",
    "journalists",
    "lawyers",
    "judges",
    "police officers",
    "parliamentarians",
    "fisherfolk",
    "artisans",
    "caregivers",
    "persons with disabilities",
    "older women",
    "informal workers",
    "garment workers",
    "smallholders",
    "apprentices",
    "scientists",
    "engineers",
    "coders",
    "startups",
    "traders",
    "market vendors",
    "pastoralists",
    "seafarers",
    "sex workers",
]

TOPICS = [
    "gender",
    "climate",
    "financing",
    "training",
    "health",
    "education",
    "violence",
    "ocean",
    "water",
    "sanitation",
    "energy",
    "agriculture",
    "digital",
    "literacy",
    "nutrition",
    "employment",
    "leadership",
    "justice",
    "land",
    "housing",
    "care",
    "childcare",
    "maternal health",
    "reproductive health",
    "menstrual health",
    "mental health",
    "technology",
    "innovation",
    "data",
    "procurement",
    "tax",
    "budgeting",
    "credit",
    "insurance",
    "savings",
    "pensions",
    "adaptation",
    "mitigation",
    "biodiversity",
    "forests",
    "fisheries",
    "coastal protection",
    "drought",
    "flood",
    "resilience",
    "disaster risk",
    "peace",
    "security",
    "migration",
    "trafficking",
    "harassment",
    "safety",
    "transport",
    "internet",
    "connectivity",
    "broadband",
    "mobile money",
    "artificial intelligence",
    "cybersecurity",
    "STEM",
    "vocational skills",
    "apprenticeship",
    "entrepreneurship",
    "markets",
    "trade",
    "value chains",
    "supply chains",
    "cooperatives",
    "microfinance",
    "remittances",
    "property rights",
    "inheritance",
    "child marriage",
    "citizenship",
    "voting",
    "representation",
    "governance",
    "accountability",
    "transparency",
    "media",
    "sport",
    "culture",
    "heritage",
    "tourism",
    "mining",
    "construction",
    "manufacturing",
    "textiles",
    "agribusiness",
    "irrigation",
    "seeds",
    "livestock",
    "aquaculture",
    "recycling",
    "waste",
    "plastics",
    "pollution",
    "air quality",
    "clean cooking",
    "solar",
    "renewables",
    "electrification",
    "HIV",
    "malaria",
    "tuberculosis",
    "vaccination",
    "contraception",
    "fistula",
    "cancer screening",
    "disability",
    "ageing",
    "mangroves",
    "wetlands",
    "desertification",
    "biogas",
    "hygiene",
    "midwifery",
    "telemedicine",
    "bookkeeping",
    "coding",
    "robotics",
    "journalism",
    "mediation",
    "ceasefire",
    "demining",
    "reintegration",
]

ADJECTIVES = [
    "inclusive",
    "resilient",
    "sustainable",
    "feminist",
    "national",
    "community",
    "local",
    "regional",
    "gender-responsive",
    "women-led",
    "youth-led",
    "innovative",
    "affordable",
    "accessible",
    "safe",
    "green",
    "blue",
    "participatory",
    "evidence-based",
    "survivor-centred",
    "rights-based",
    "integrated",
    "multi-year",
    "flexible",
    "catalytic",
    "blended",
    "public",
    "private",
    "grassroots",
    "indigenous",
    "rural",
    "urban",
    "coastal",
    "cross-border",
    "intersectional",
    "transformative",
    "scalable",
    "open",
    "low-carbon",
    "climate-smart",
]

OUTPUTS = [
    "programme",
    "network",
    "fund",
    "policy",
    "curriculum",
    "platform",
    "dataset",
    "hub",
    "centres",
    "clinics",
    "helpline",
    "shelters",
    "scholarships",
    "grants",
    "loans",
    "facility",
    "academy",
    "fellowship",
    "coalition",
    "campaign",
    "toolkit",
    "guidelines",
    "legislation",
    "strategy",
    "action plan",
    "observatory",
    "index",
    "dashboard",
    "survey",
    "registry",
    "incubator",
    "accelerator",
    "bootcamp",
    "mentorship scheme",
    "workshops",
    "courses",
    "app",
    "radio programme",
    "partnership",
    "task force",
    "committee",
    "quota",
    "budget line",
    "bond",
    "guarantee",
    "credit line",
    "compact",
    "charter",
    "roadmap",
    "census",
]

PLACES = [
    "districts",
    "provinces",
    "municipalities",
    "counties",
    "villages",
    "cities",
    "islands",
    "regions",
    "states",
    "towns",
    "settlements",
    "camps",
    "watersheds",
    "basins",
    "highlands",
    "drylands",
    "slums",
    "archipelagos",
    "valleys",
]

PARTNERS = [
    "ministries",
    "civil society organisations",
    "UN agencies",
    "universities",
    "banks",
    "private companies",
    "foundations",
    "women's rights organisations",
    "youth networks",
    "local governments",
    "trade unions",
    "faith leaders",
    "media houses",
    "development banks",
    "mobile operators",
    "cooperatives",
    "philanthropies",
    "research institutes",
]

OUTCOMES = [
    "increased income",
    "improved access to services",
    "higher enrolment",
    "reduced violence",
    "stronger representation",
    "greater confidence",
    "better health outcomes",
    "secure land tenure",
    "decent work",
    "financial independence",
    "climate resilience",
    "digital inclusion",
    "lower maternal mortality",
    "fewer school dropouts",
]

MONITORING = [
    "annual reports",
    "an open dashboard",
    "independent evaluations",
    "quarterly surveys",
    "household surveys",
    "administrative data",
    "community scorecards",
    "third-party audits",
    "sex-disaggregated indicators",
]

BARRIERS = [
    "discriminatory laws",
    "unpaid care work",
    "lack of collateral",
    "harmful social norms",
    "early marriage",
    "limited connectivity",
    "gender pay gaps",
    "lack of childcare",
    "insecure tenure",
    "distance to services",
    "harassment",
    "high fees",
    "low literacy",
    "stigma",
]

ACTIVITIES = [
    "mentoring",
    "peer learning",
    "coaching",
    "legal aid",
    "outreach",
    "awareness raising",
    "capacity building",
    "field visits",
    "policy dialogue",
    "advocacy",
    "research",
    "needs assessments",
    "community dialogues",
    "radio broadcasts",
    "savings groups",
    "seed grants",
    "technical assistance",
    "hackathons",
    "study tours",
]

FREQUENCIES = ["every year", "every six months", "every quarter", "at mid-term and at the end"]

ORG_NOUNS = [
    "Network",
    "Foundation",
    "Alliance",
    "Association",
    "Collective",
    "Trust",
    "Institute",
    "Centre",
    "Initiative",
    "Forum",
    "Movement",
    "Council",
    "Society",
    "Coalition",
    "Federation",
]

SURNAMES = [
    "Achieng",
    "Adeyemi",
    "Alvarez",
    "Banda",
    "Chen",
    "Costa",
    "Diallo",
    "Dubois",
    "Fernandes",
    "Haddad",
    "Hassan",
    "Ibrahim",
    "Ivanova",
    "Jensen",
    "Kamau",
    "Khan",
    "Kim",
    "Kowalski",
    "Lopez",
    "Mbeki",
    "Mensah",
    "Moreau",
    "Mwangi",
    "Nakamura",
    "Nguyen",
    "Novak",
    "Okafor",
    "Osei",
    "Patel",
    "Perez",
    "Rahman",
    "Rossi",
    "Santos",
    "Silva",
    "Singh",
    "Tanaka",
    "Toure",
    "Umar",
    "Wang",
    "Yilmaz",
    "Zulu",
]

INDUSTRIES = [
    "Telecom",
    "Bank",
    "Energy",
    "Foods",
    "Textiles",
    "Pharma",
    "Logistics",
    "Insurance",
    "Mining",
    "Cosmetics",
    "Software",
    "Retail",
    "Airlines",
    "Beverages",
]

THEMES = [
    (
        "gender-based-violence",
        "Gender-based violence",
        [
            "Ratify and implement international conventions on violence against women",
            "Scale up survivor-centred services",
            "Prevent violence through norm change programmes",
            "Fund women's rights organisations working on violence",
        ],
    ),
    (
        "economic-justice",
        "Economic justice and rights",
        [
            "Expand decent work and social protection",
            "Recognise, reduce and redistribute unpaid care work",
            "Increase women's access to productive resources",
            "Design gender-responsive macroeconomic policy",
        ],
    ),
    (
        "bodily-autonomy",
        "Bodily autonomy and sexual and reproductive health",
        [
            "Expand comprehensive sexuality education",
            "Increase access to contraception and safe services",
            "Reform laws restricting bodily autonomy",
            "Strengthen adolescent-friendly health services",
        ],
    ),
    (
        "climate-justice",
        "Feminist action for climate justice",
        [
            "Increase climate finance reaching women-led organisations",
            "Build women's leadership in the green economy",
            "Strengthen resilience of women and girls to climate shocks",
            "Collect and use gender and environment data",
        ],
    ),
    (
        "technology-innovation",
        "Technology and innovation for gender equality",
        [
            "Bridge the gender digital divide",
            "Invest in feminist technology and innovation",
            "Build inclusive innovation ecosystems",
            "Prevent online and technology-facilitated violence",
        ],
    ),
    (
        "feminist-movements",
        "Feminist movements and leadership",
        [
            "Fund feminist movements and organisations",
            "Increase women's participation in decision-making",
            "Protect women human rights defenders",
            "Support young feminist leadership",
        ],
    ),
]

_WORD = re.compile(r"\w+", re.UNICODE)


def words_of(text: str) -> set[str]:
    """The lower-case tokens of ``text``, as the FTS5 unicode61 and 'simple' parsers see them."""
    return {w.lower() for w in _WORD.findall(text)}


class Picker:
    """Zipf-like choice from a list: the first item is the most frequent."""

    def __init__(self, rng: random.Random, items: list[str], exponent: float = 1.0) -> None:
        self.rng = rng
        self.items = list(items)
        self.cum = list(
            itertools.accumulate(1.0 / (rank**exponent) for rank in range(1, len(items) + 1))
        )

    def __call__(self) -> str:
        return self.rng.choices(self.items, cum_weights=self.cum)[0]


class TextMaker:
    """Assembles titles, descriptions and organisation names from the vocabulary."""

    def __init__(self, rng: random.Random, country_names: list[str]) -> None:
        self.rng = rng
        self.verb = Picker(rng, VERBS, 0.9)
        self.group = Picker(rng, GROUPS, 0.9)
        self.topic = Picker(rng, TOPICS, 1.0)
        self.adj = Picker(rng, ADJECTIVES, 0.8)
        self.output = Picker(rng, OUTPUTS, 0.9)
        self.place = Picker(rng, PLACES, 0.8)
        self.partner = Picker(rng, PARTNERS, 0.7)
        self.outcome = Picker(rng, OUTCOMES, 0.7)
        self.monitoring = Picker(rng, MONITORING, 0.7)
        self.barrier = Picker(rng, BARRIERS, 0.7)
        self.activity = Picker(rng, ACTIVITIES, 0.7)
        self.country_names = country_names

    def _number(self) -> str:
        return str(self.rng.choice([50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 25000]))

    def title(self, country: str) -> str:
        r = self.rng.random()
        if r < 0.3:
            t = f"{self.verb().capitalize()} {self._number()} {self.group()} in {self.topic()}"
        elif r < 0.55:
            t = f"{self.adj().capitalize()} {self.topic()} {self.output()} for {self.group()}"
        elif r < 0.75:
            t = f"{self.verb().capitalize()} {self.topic()} {self.output()} in {self.place()}"
        elif r < 0.9:
            t = f"{self.output().capitalize()} on {self.topic()} and {self.topic()}"
        else:
            t = f"{self.verb().capitalize()} the {self.adj()} {self.topic()} {self.output()}"
        if self.rng.random() < 0.35:
            t += f" in {country}"
        return t

    def _sentence(self, country: str) -> str:
        r = self.rng.randrange(12)
        v, g, t, a, o = self.verb, self.group, self.topic, self.adj, self.output
        if r == 0:
            return (
                f"We will {v()} {self._number()} {g()} in {self.place()} of {country} through "
                f"a {a()} {o()} on {t()} and {t()}."
            )
        if r == 1:
            return (
                f"The {o()} will {v()} {t()} {o()} with {self.partner()}, {self.partner()} "
                f"and {self.partner()}."
            )
        if r == 2:
            pct = self.rng.choice([30, 40, 50, 60, 75, 80])
            year = self.rng.randrange(2026, 2031)
            return f"By {year}, at least {pct} percent of {g()} will report {self.outcome()}."
        if r == 3:
            return f"{self.partner().capitalize()} will co-design the {o()} with {g()} and {g()}."
        if r == 4:
            return f"Funding will support {t()} {o()}, {t()} {o()} and a {a()} {o()} for {g()}."
        if r == 5:
            return (
                f"Progress is tracked through {self.monitoring()} published "
                f"{self.rng.choice(FREQUENCIES)}."
            )
        if r == 6:
            return (
                f"The commitment addresses {self.barrier()} and {self.barrier()} that keep "
                f"{g()} from {t()} and {t()}."
            )
        if r == 7:
            return (
                f"Activities include {self.activity()}, {self.activity()} and {self.activity()} "
                f"on {t()}."
            )
        if r == 8:
            other = self.rng.choice(self.country_names)
            return f"It builds on a {a()} {t()} {o()} piloted in {country} and {other}."
        if r == 9:
            return f"This contributes to {a()} {t()} and {self.outcome()} in {a()} {self.place()}."
        if r == 10:
            return f"We {v()} {a()} {t()} {o()} so that {g()} lead {t()} decisions."
        return f"Our {a()} {o()} will {v()} {t()} for {g()} and {g()} in {country}."

    def description(self, country: str) -> str:
        """60 to 150 words of sentences."""
        target = self.rng.randint(60, 150)
        sentences: list[str] = []
        count = 0
        while count < target:
            s = self._sentence(country)
            n = len(s.split())
            if count + n > 150 and count >= 60:
                break
            sentences.append(s)
            count += n
        return " ".join(sentences)

    def organisation_name(self, category: str, country: str) -> str:
        r = self.rng
        if category == "member_state":
            return f"Government of {country}"
        if category == "government":
            return r.choice(
                [
                    f"Ministry of {self.topic().title()}, {country}",
                    f"{r.choice(['City', 'County', 'Province', 'Municipality'])} of "
                    f"{r.choice(SURNAMES)}, {country}",
                    f"Parliamentary Caucus on {self.topic().title()}, {country}",
                ]
            )
        if category == "private_sector":
            return (
                f"{r.choice(SURNAMES)} {r.choice(INDUSTRIES)} "
                f"{r.choice(['Ltd', 'Group', 'plc', 'SA', 'Inc.'])}"
            )
        if category == "philanthropy":
            return f"{r.choice(SURNAMES)} {r.choice(['Foundation', 'Trust', 'Fund'])}"
        if category == "international":
            return (
                f"{r.choice(['Global', 'Regional', 'International'])} {self.topic().title()} "
                + (r.choice(["Facility", "Programme", "Agency", "Partnership"]))
            )
        if category == "youth_led":
            return f"Young {self.topic().title()} {r.choice(ORG_NOUNS)} {country}"
        if category == "other":
            return (
                f"{r.choice(SURNAMES)} {r.choice(['University', 'Institute', 'Media', 'Church'])}"
            )
        return f"{self.adj().title()} {self.topic().title()} {r.choice(ORG_NOUNS)} of {country}"
