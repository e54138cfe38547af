"""The forum part of the demo, as data: the 2025 ECOSOC Partnership Forum (seed 002) and the
2024 UN Civil Society Conference (seed 000), their rooms, sessions, side-event proposals,
session summaries, stakeholder statements and the Forum's global consultation.

Only data lives here (``demo.forum`` creates it), so the texts and the lists of sessions can
be read, and the way they are created changed, apart.  Times are the venue's (``Event.time_zone``).

Speakers and the people who organise sessions are fictional.  Some speakers' names are also
parts of ordinary words ("Tan" in "important", "Ali" in "quality", "Ward" in "towards", "Young"
in "young women", "Lin" in "linking", "Bridge Partners" and "to bridge gaps"), and some key
messages and recommendations name them or their organisations, so that the Co-Chairs' Summary
has names to remove ("presented collectively and without attribution") without breaking the
words that contain them.

Several recommendations of different sessions say the same thing in other words (standard
templates for blended finance, youth in every segment, localisation through the Resident
Coordinator Offices, accountability for partnerships, flexible funding for grassroots
organisations, disaggregated data, a follow-up digest), so the compilation merges them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Stakeholder categories (``organisations.models.Category``) used below.
MS = "member_state"
UN = "un_system"
CSO = "civil_society"
WOMEN = "women"
YOUTH = "youth_led"
PRIVATE = "private_sector"
PHIL = "philanthropy"
ACAD = "academia"
LOCAL = "local_authority"
WORKERS = "workers"
INDIGENOUS = "indigenous_peoples"
DISAB = "persons_with_disabilities"
FAITH = "faith_based"
IFI = "ifi"
INTL = "international"
SCIENCE = "science"
MEDIA = "media"


@dataclass
class SpeakerSpec:
    name: str
    title: str = ""
    org: str = ""  # key of a demo organisation
    affiliation: str = ""  # when not a demo organisation


@dataclass
class AnnouncementSpec:
    """A commitment announced at a session: ``commitment`` is the title of a demo commitment
    (linked), else it is described (maker, amount, a contact to invite)."""

    title: str
    commitment: str = ""
    maker: str = ""
    amount: str | None = None
    currency: str = ""
    contact_email: str = ""


@dataclass
class SummarySpec:
    """``state``: submitted (within the deadline), late (after it), draft (begun, not
    submitted) or missing (nothing written); ``days_after``: when it was submitted, in days
    after the session ended."""

    state: str
    days_after: int = 7
    key_messages: str = ""
    recommendations: list[str] = field(default_factory=list)
    announcements: list[AnnouncementSpec] = field(default_factory=list)
    in_person: int | None = None
    online: int | None = None
    by_category: dict[str, int] = field(default_factory=dict)


@dataclass
class SessionSpec:
    key: str
    kind: str
    title: str
    day: dt.date
    start: tuple[int, int]
    end: tuple[int, int]
    room: str  # a room of the event, or "" (online only)
    description: str = ""
    segment: str = ""
    orgs: list[str] = field(default_factory=list)  # organising organisations (keys)
    organisers: list[str] = field(default_factory=list)  # people: org keys (their person)
    by_secretariat: bool = False  # the secretariat organises it (plenaries)
    themes: list[str] = field(default_factory=list)  # theme slugs of the programme
    goals: list[int] = field(default_factory=list)
    speakers: list[SpeakerSpec] = field(default_factory=list)
    online_url: str = ""
    summary: SummarySpec | None = None


@dataclass
class ProposalSpec:
    """A side-event proposal: accepted ones carry the session they became."""

    org: str
    title: str
    description: str
    day: dt.date
    start: tuple[int, int]
    end: tuple[int, int]
    room: str
    expected: int
    status: str  # submitted, accepted, declined
    co_organisers: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    goals: list[int] = field(default_factory=list)
    reason: str = ""
    days_before: int = 40  # proposed this many days before the event
    session: SessionSpec | None = None


@dataclass
class StatementSpec:
    session: str  # session key
    org: str
    title: str
    text: str
    status: str  # submitted, selected, declined
    reason: str = ""


@dataclass
class EventSpec:
    programme: str  # programme key (demo.data)
    slug: str
    name: str
    acronym: str
    description: str
    starts_on: dt.date
    ends_on: dt.date
    venue: str
    time_zone: str
    online_url: str
    in_person_capacity: int | None
    rooms: list[tuple[str, int | None, bool]]  # name, capacity, virtual
    sessions: list[SessionSpec]
    proposals: list[ProposalSpec] = field(default_factory=list)
    statements: list[StatementSpec] = field(default_factory=list)


SUMMARY_DUE_DAYS = 14
SUMMARY_INSTRUCTIONS = (
    "Within two weeks of your session, give its key messages in a few sentences, each "
    "recommendation separately (short, addressed to someone who can act on it), the "
    "commitments and partnerships announced, and how many took part. The secretariat compiles "
    "the summaries into the Co-Chairs' Summary, presented collectively and without attribution."
)

# 2025 ECOSOC Partnership Forum (seed 002) ------------------------------------------------------

PF_DAY = dt.date(2025, 2, 5)
PF_LIVE = "https://webtv.example.org/ecosoc-partnership-forum-2025"
ECOSOC_CHAMBER = "ECOSOC Chamber"
CR4 = "Conference Room 4"
CR11 = "Conference Room 11"
CR12 = "Conference Room 12"
VIRTUAL = "Virtual room"
SEGMENT = "SDG Action Segment: Goal {}"

PRESIDENT = SpeakerSpec("H.E. Mr. Tomas Lindgren", "President of ECOSOC (fictional)")
ASG = SpeakerSpec("Ms. Mei Tan", "Assistant Secretary-General, UN DESA (fictional)")
MODERATOR = SpeakerSpec("Mr. Kofi Ward", "Moderator", affiliation="Bridge Partners")

PF_SESSIONS = [
    SessionSpec(
        "pf-opening",
        "plenary",
        "Opening plenary: science- and evidence-based solutions that leave no one behind",
        PF_DAY,
        (10, 0),
        (11, 0),
        ECOSOC_CHAMBER,
        "The President of ECOSOC opens the Forum; Member States and stakeholders set out what "
        "the Forum should deliver for the 2025 High-level Political Forum. Stakeholder "
        "statements selected by the secretariat are published with this session.",
        by_secretariat=True,
        themes=["sdg-17-partnerships"],
        goals=[3, 5, 8, 14, 17],
        speakers=[PRESIDENT, ASG, SpeakerSpec("Ms. Grace Young", "Youth representative")],
        online_url=PF_LIVE,
        summary=SummarySpec(
            "submitted",
            days_after=5,
            key_messages=(
                "The President opened the first major ECOSOC event of the year at a critical "
                "juncture: progress on the SDGs falls short of what is needed. Ms. Mei Tan "
                "set out the three S's of partnerships: standardisation, socialisation of "
                "losses and rewards, and sharing evidence. Ms. Grace Young asked that young "
                "people be at the table of every segment, not only of a youth session. "
                "Stakeholder statements were read alongside those of Member States."
            ),
            recommendations=[
                "Develop standard templates for blended finance partnerships, adapted to low- "
                "and middle-income countries, so that partners do not renegotiate every deal "
                "from scratch.",
                "Include youth representatives in every SDG Action Segment and make "
                "intergenerational dialogue a feature of partnerships.",
                "Link the Forum's outcomes to the Financing for Development Conference, the "
                "Second World Summit for Social Development and the UN Ocean Conference so "
                "that the year's processes reinforce one another.",
            ],
            in_person=380,
            online=1150,
            by_category={MS: 140, UN: 60, CSO: 90, PRIVATE: 30, ACAD: 25, YOUTH: 35},
        ),
    ),
    SessionSpec(
        "pf-goal-3",
        "sdg_segment",
        "SDG Action Segment on Goal 3: partnerships for health equity",
        PF_DAY,
        (11, 0),
        (12, 0),
        ECOSOC_CHAMBER,
        "Pandemic preparedness, universal health coverage with grassroots organisations, and "
        "digital health innovation including AI for diagnostics.",
        segment=SEGMENT.format(3),
        orgs=["andean-health"],
        organisers=["andean-health"],
        themes=["sdg-3-health"],
        goals=[3],
        speakers=[
            SpeakerSpec("Dr. Rosa Quispe", "Executive Secretary", org="andean-health"),
            SpeakerSpec("Dr. Omar Ali", "Community health physician", affiliation="Reach Clinic"),
            MODERATOR,
        ],
        online_url=PF_LIVE,
        summary=SummarySpec(
            "submitted",
            days_after=9,
            key_messages=(
                "Health inequities widened after the pandemic. Dr. Omar Ali showed how "
                "community health workers, paid and supervised, brought quality primary care "
                "to districts that clinics never reached. The Andean Health Alliance presented "
                "a regional preparedness partnership linking genomic surveillance laboratories "
                "of five countries."
            ),
            recommendations=[
                "Finance regional pandemic preparedness partnerships that pool surveillance, "
                "procurement of diagnostics and surge capacity across borders.",
                "Pay, train and supervise community health workers so that quality primary "
                "care reaches every district, with grassroots organisations as partners.",
                "Adopt safeguards for the use of AI in diagnostics: validation on local data, "
                "human review, and privacy by design.",
                "Work through the Resident Coordinator Offices to connect health partnerships "
                "with national plans and local actors.",
            ],
            announcements=[
                AnnouncementSpec(
                    "Regional pandemic preparedness partnership for the Andes",
                    commitment="Regional pandemic preparedness partnership for the Andes",
                ),
            ],
            in_person=210,
            online=420,
            by_category={MS: 70, UN: 30, CSO: 45, ACAD: 30, PRIVATE: 15, INTL: 20},
        ),
    ),
    SessionSpec(
        "pf-goal-5",
        "sdg_segment",
        "SDG Action Segment on Goal 5: gender equality across every partnership",
        PF_DAY,
        (12, 0),
        (13, 0),
        ECOSOC_CHAMBER,
        "Eliminating gender-based violence, social protection and living wages, and using AI "
        "to close gender gaps in employment and technology.",
        segment=SEGMENT.format(5),
        orgs=["red-mujeres", "solstice"],
        organisers=["red-mujeres"],
        themes=["sdg-5-gender-equality"],
        goals=[5],
        speakers=[
            SpeakerSpec("Ms. Valentina Sosa", "Coordinator", org="red-mujeres"),
            SpeakerSpec("Ms. Margaret Holloway", "President", org="solstice"),
            SpeakerSpec("Ms. Ana Lin", "Economist", affiliation="Bridge Partners"),
        ],
        online_url=PF_LIVE,
        summary=SummarySpec(
            "submitted",
            days_after=12,
            key_messages=(
                "Gender considerations must run through all segments of the Forum, not sit in "
                "one. Women's rights organisations receive a tiny share of development funding "
                "while civic space shrinks. Ms. Ana Lin, of Bridge Partners, showed that "
                "social protection floors and living wages lift women's incomes faster than "
                "any single programme."
            ),
            recommendations=[
                "Mainstream gender considerations across all SDG Action Segments and require a "
                "gender analysis in every partnership showcased at the Forum.",
                "Provide flexible, multi-year core funding to grassroots women's "
                "organisations, which struggle to access resources designed for large NGOs.",
                "Collect and publish sex-disaggregated data on the results of every partnership.",
                "Extend social protection floors and living-wage benchmarks to women in "
                "informal work.",
            ],
            announcements=[
                AnnouncementSpec(
                    "Feminist movements fund: USD 5 million for grassroots women's groups in "
                    "Latin America",
                    maker="Solstice Foundation for Equality",
                    amount="5000000",
                    currency="USD",
                ),
            ],
            in_person=240,
            online=510,
            by_category={MS: 60, UN: 25, WOMEN: 80, CSO: 35, PHIL: 20, YOUTH: 20},
        ),
    ),
    SessionSpec(
        "pf-goal-8",
        "sdg_segment",
        "SDG Action Segment on Goal 8: decent work and just transitions",
        PF_DAY,
        (14, 30),
        (15, 30),
        ECOSOC_CHAMBER,
        "Just transitions, informality in labour markets and fair labour practices with trade "
        "unions and ministries of labour.",
        segment=SEGMENT.format(8),
        orgs=["codeher", "senegal"],
        organisers=["codeher"],
        themes=["sdg-8-decent-work"],
        goals=[8],
        speakers=[
            SpeakerSpec("Ms. Abena Mensah", "Founder", org="codeher"),
            SpeakerSpec("Ms. Aminata Diallo", "Minister's adviser", org="senegal"),
            SpeakerSpec("Mr. Paul Young", "General Secretary", affiliation="Global Union Forum"),
        ],
        online_url=PF_LIVE,
        summary=SummarySpec(
            "submitted",
            days_after=6,
            key_messages=(
                "Two billion workers earn their living informally. Trade unions and ministries "
                "of labour were recognised as key enablers of fair labour practices, collective "
                "bargaining, equal pay and workplace safety. Mr. Paul Young warned that a "
                "transition that is not just will not happen at all."
            ),
            recommendations=[
                "Support just transitions with reskilling and social dialogue in the sectors "
                "that change, financed before jobs are lost.",
                "Open pathways from informal to formal, protected work, starting with social "
                "protection that follows the worker.",
                "Involve trade unions and ministries of labour in partnerships for decent work "
                "from their design.",
                "Give young women digital skills tied to paid placements with employers, not "
                "training alone.",
            ],
            announcements=[
                AnnouncementSpec(
                    "Apprenticeships for 2,000 young workers in the green economy of Senegal",
                    maker="Government of Senegal",
                    amount="3000000000",
                    currency="XOF",
                ),
            ],
            in_person=190,
            online=380,
            by_category={MS: 55, WORKERS: 40, PRIVATE: 30, YOUTH: 30, CSO: 20, UN: 15},
        ),
    ),
    SessionSpec(
        "pf-goal-14",
        "sdg_segment",
        "SDG Action Segment on Goal 14: restoring ocean health with coastal communities",
        PF_DAY,
        (15, 30),
        (16, 30),
        ECOSOC_CHAMBER,
        "Restoring marine ecosystems, combating pollution, sustainable and traceable fisheries, "
        "and transboundary conservation for a blue economy.",
        segment=SEGMENT.format(14),
        orgs=["ocean-guardians", "marine-futures", "fiji"],
        organisers=["ocean-guardians"],
        themes=["sdg-14-life-below-water"],
        goals=[14],
        speakers=[
            SpeakerSpec("Ms. Sina Faleolo", "Director", org="ocean-guardians"),
            SpeakerSpec("Dr. Liam Carter", "Chief scientist", org="marine-futures"),
            SpeakerSpec("Ms. Mereani Tuilagi", "Permanent Secretary", org="fiji"),
        ],
        online_url=PF_LIVE,
        summary=SummarySpec(
            "submitted",
            days_after=10,
            key_messages=(
                "Marine protected areas managed by the villages that depend on them recover "
                "fish biomass within a few years. Transboundary collaboration, in the spirit "
                "of the Great Blue Wall, joins conservation and a blue economy. Dr. Liam "
                "Carter presented open monitoring data from 30 villages."
            ),
            recommendations=[
                "Give coastal communities the rights and the funding to manage marine "
                "protected areas themselves.",
                "Require traceability from boat to market to end illegal, unreported and "
                "unregulated fishing.",
                "Publish open monitoring data on fish biomass and coral cover for every "
                "protected site.",
                "Strengthen regional and cross-border partnerships, including South-South "
                "cooperation among small island developing States.",
            ],
            announcements=[
                AnnouncementSpec(
                    "Community-managed marine protected areas in 30 Samoan villages",
                    commitment="Community-managed marine protected areas in 30 Samoan villages",
                ),
                AnnouncementSpec(
                    "Traceable, IUU-free tuna from small-scale fishers by 2029",
                    commitment="Traceable, IUU-free tuna from small-scale fishers by 2029",
                ),
            ],
            in_person=200,
            online=460,
            by_category={MS: 65, INDIGENOUS: 20, CSO: 45, SCIENCE: 30, PRIVATE: 20, UN: 20},
        ),
    ),
    SessionSpec(
        "pf-tools",
        "breakout",
        "Thematic breakout: standard tools for partnership finance and risk sharing",
        PF_DAY,
        (11, 0),
        (12, 15),
        CR11,
        "A working session on templates for blended finance, the sharing of losses and rewards, "
        "and impact measurement that partners can reuse.",
        segment="Thematic breakouts",
        orgs=["kestrel", "gender-finance-facility"],
        organisers=["kestrel"],
        themes=["sdg-17-partnerships"],
        goals=[17],
        speakers=[
            SpeakerSpec("Ms. Thandiwe Nkosi", "Head of partnerships", org="kestrel"),
            SpeakerSpec(
                "Ms. Selam Tesfaye", "Chief investment officer", org="gender-finance-facility"
            ),
        ],
        summary=SummarySpec(
            "submitted",
            days_after=4,
            key_messages=(
                "Partners spend months negotiating terms that could be standard. Governments "
                "often bear the losses while private partners keep the rewards. Kestrel Mobile "
                "Networks offered its experience of mobile-money partnerships as a test case."
            ),
            recommendations=[
                "Create standardised templates for blended finance and risk sharing that "
                "partnerships in developing countries can reuse instead of negotiating each "
                "agreement anew.",
                "Develop analytical frameworks for a fair distribution of losses, rewards and "
                "reinvestment between public and private partners.",
                "Agree common indicators for measuring the impact of partnerships, and report "
                "on them publicly.",
            ],
            announcements=[
                AnnouncementSpec(
                    "USD 50 million blended finance window for women-led enterprises",
                    commitment="USD 50 million blended finance window for women-led enterprises",
                ),
            ],
            in_person=64,
            online=120,
            by_category={PRIVATE: 20, IFI: 12, MS: 10, PHIL: 8, CSO: 8, ACAD: 6},
        ),
    ),
    SessionSpec(
        "pf-localising",
        "breakout",
        "Thematic breakout: localising partnerships with Resident Coordinator Offices",
        PF_DAY,
        (14, 30),
        (15, 45),
        CR11,
        "How UN Country Teams, local governments and faith and community organisations turn "
        "global partnerships into local results.",
        segment="Thematic breakouts",
        orgs=["kisumu-gender", "interfaith"],
        organisers=["kisumu-gender"],
        themes=["sdg-17-partnerships"],
        goals=[17, 5],
        speakers=[
            SpeakerSpec("Ms. Achieng Otieno", "County Executive", org="kisumu-gender"),
            SpeakerSpec("Ms. Maya Khoury", "Secretary-General", org="interfaith"),
        ],
        summary=SummarySpec(
            "late",
            days_after=19,
            key_messages=(
                "Partnerships announced in New York too often stop at the capital. Resident "
                "Coordinator Offices can convene local governments, faith-based organisations "
                "and the private sector around national plans; the 2030 Agenda Partnership "
                "Accelerator was cited as a model of localised capacity building."
            ),
            recommendations=[
                "Use the Resident Coordinator Offices and UN Country Teams to bring global "
                "partnerships down to the local level and connect them with local actors.",
                "Invest in community-driven capacity building so that local organisations can "
                "lead partnerships, not only deliver them.",
                "Hold periodic touchpoints throughout the year so that the Forum is part of a "
                "continuous cycle rather than a standalone event.",
            ],
            in_person=48,
            online=90,
            by_category={LOCAL: 12, FAITH: 8, UN: 10, CSO: 12, MS: 6},
        ),
    ),
    SessionSpec(
        "pf-youth",
        "breakout",
        "Thematic breakout: young people in every SDG Action Segment",
        PF_DAY,
        (15, 45),
        (17, 0),
        CR12,
        "Youth-led organisations on meaningful participation and intergenerational dialogue.",
        segment="Thematic breakouts",
        orgs=["young-feminists", "youth-peacebuilders"],
        organisers=["young-feminists"],
        themes=["sdg-17-partnerships"],
        goals=[17, 4],
        speakers=[
            SpeakerSpec("Ms. Priya Raman", "Co-founder", org="young-feminists"),
            SpeakerSpec("Mr. Camilo Restrepo", "Coordinator", org="youth-peacebuilders"),
        ],
        summary=SummarySpec(
            "submitted",
            days_after=3,
            key_messages=(
                "Young people asked to be partners, not an audience. Youth-led organisations "
                "lack the core funding that would let them take part beyond a single event."
            ),
            recommendations=[
                "Ensure youth representation in each SDG Action Segment, with young speakers "
                "and intergenerational dialogue rather than a separate youth panel.",
                "Fund youth-led organisations so that they can take part in partnerships all "
                "year round.",
                "Move forward from scripted speeches towards interactive dialogue, Q&A and "
                "real-time mapping of partnership results.",
            ],
            in_person=55,
            online=140,
            by_category={YOUTH: 35, CSO: 10, MS: 5, UN: 5},
        ),
    ),
    SessionSpec(
        "pf-fireside",
        "fireside",
        "Fireside chat: partnerships are not a concept but a necessity",
        PF_DAY,
        (13, 15),
        (14, 0),
        CR12,
        "An informal conversation on what makes partnerships last, with questions from the "
        "room and online.",
        segment="Fireside chats",
        by_secretariat=True,
        themes=["sdg-17-partnerships"],
        goals=[17],
        speakers=[PRESIDENT, SpeakerSpec("Ms. Ngozi Okafor", "Executive Director", org="baobab")],
        online_url=PF_LIVE,
        summary=SummarySpec(
            "submitted",
            days_after=2,
            key_messages=(
                "Show the failures as well as the successes: partners learn most from the "
                "barriers others overcame. Unusual partners, from informal workers to "
                "grassroots groups, bring fresh perspectives."
            ),
            recommendations=[
                "Share evidence of what worked and what failed in partnerships, so that "
                "others can replicate the models that succeed.",
                "Engage unusual partners such as grassroots organisations and informal "
                "economy actors to avoid the echo chamber of traditional participants.",
            ],
            in_person=70,
            online=210,
            by_category={CSO: 20, PHIL: 10, MS: 15, PRIVATE: 10, UN: 15},
        ),
    ),
    SessionSpec(
        "pf-pitch",
        "pitch",
        "Scale-up Tank: partnerships pitch to investors",
        PF_DAY,
        (16, 30),
        (17, 30),
        CR4,
        "In the \u201cShark Tank\u201d style proposed by the Advisory Group: partnerships that "
        "succeeded at national or regional level and are ready to scale pitch to investors, "
        "foundations and private-sector partners, who answer on the spot.",
        segment="Pitch segment",
        orgs=["gender-finance-facility", "solstice"],
        organisers=["gender-finance-facility"],
        themes=["sdg-17-partnerships"],
        goals=[17, 5, 14],
        speakers=[
            SpeakerSpec(
                "Ms. Selam Tesfaye", "Chief investment officer", org="gender-finance-facility"
            ),
            SpeakerSpec("Mr. Kofi Ward", "Investor panel chair", affiliation="Bridge Partners"),
            SpeakerSpec("Mr. Ramon Villanueva", "Chief executive", org="tidewater"),
        ],
        online_url=PF_LIVE,
        summary=SummarySpec(
            "submitted",
            days_after=8,
            key_messages=(
                "Five partnerships pitched; investors asked for standard terms, credible "
                "impact data and a first-loss layer before committing. Mr. Kofi Ward said "
                "the pitch format should return every year."
            ),
            recommendations=[
                "Make blended finance easier with standard templates for risk sharing and "
                "first-loss capital, so that investors can move from pitch to deal quickly.",
                "As Mr. Kofi Ward proposed, hold a pitch segment at every Forum to connect "
                "partnerships ready to scale with investors, foundations and the private sector.",
                "Expand philanthropic engagement to provide catalytic first-loss capital for "
                "partnerships in developing countries.",
            ],
            announcements=[
                AnnouncementSpec(
                    "USD 50 million blended finance window for women-led enterprises",
                    commitment="USD 50 million blended finance window for women-led enterprises",
                ),
                AnnouncementSpec(
                    "Solar cold storage for women fish traders in Fiji: USD 1.2 million",
                    maker="Pacific Cold Chain Cooperative",
                    amount="1200000",
                    currency="USD",
                    contact_email="partnerships@coldchain.example.org",
                ),
                AnnouncementSpec(
                    "Mobile health records for 40,000 patients in the Andes",
                    maker="Andean Health Alliance Secretariat and a private partner",
                    amount="750000",
                    currency="USD",
                ),
            ],
            in_person=90,
            online=300,
            by_category={PRIVATE: 30, PHIL: 15, IFI: 10, CSO: 15, MS: 10, UN: 10},
        ),
    ),
    SessionSpec(
        "pf-closing",
        "plenary",
        "Closing plenary: from the Forum to the High-level Political Forum",
        PF_DAY,
        (17, 30),
        (18, 0),
        ECOSOC_CHAMBER,
        "Key messages of the segments and what comes next in the ECOSOC cycle.",
        by_secretariat=True,
        themes=["sdg-17-partnerships"],
        goals=[3, 5, 8, 14, 17],
        speakers=[PRESIDENT],
        online_url=PF_LIVE,
        summary=SummarySpec(
            "submitted",
            days_after=6,
            key_messages=(
                "The Forum is the beginning of the ECOSOC cycle, not an end. Substantial work "
                "remains: partnerships must be accountable and their results measurable."
            ),
            recommendations=[
                "Establish mechanisms to monitor the outcomes of partnerships, with "
                "transparent reporting, so that progress is tracked and commitments are met.",
                "Produce a brief digest of the Forum's key outcomes and actionable "
                "recommendations and discuss it in a follow-up webinar.",
                "Increase resources for the participation of marginalised groups, refugees "
                "and grassroots communities in the Forum.",
            ],
            in_person=310,
            online=980,
            by_category={MS: 120, UN: 50, CSO: 70, PRIVATE: 25, ACAD: 20, YOUTH: 25},
        ),
    ),
]

PF_SIDE_EVENTS = [
    ProposalSpec(
        "tidewater",
        "Breakfast side event: traceable tuna and the fishers who catch it",
        "Small-scale fishers, a processor and marine scientists on electronic catch "
        "documentation and a price premium for verified catch.",
        PF_DAY,
        (8, 15),
        (9, 30),
        CR11,
        60,
        "accepted",
        co_organisers=["ocean-guardians", "marine-futures"],
        themes=["sdg-14-life-below-water"],
        goals=[14],
        session=SessionSpec(
            "pf-side-tuna",
            "side_event",
            "Breakfast side event: traceable tuna and the fishers who catch it",
            PF_DAY,
            (8, 15),
            (9, 30),
            CR11,
            segment="Side events",
            orgs=["tidewater", "ocean-guardians", "marine-futures"],
            organisers=["tidewater"],
            themes=["sdg-14-life-below-water"],
            goals=[14],
            speakers=[SpeakerSpec("Mr. Ramon Villanueva", "Chief executive", org="tidewater")],
            summary=SummarySpec(
                "submitted",
                days_after=7,
                key_messages=(
                    "Electronic catch documentation costs less than a fisher's monthly fuel. "
                    "A premium for verified catch made traceability pay for itself."
                ),
                recommendations=[
                    "Make traceability of fish from boat to market the norm to end illegal, "
                    "unreported and unregulated fishing.",
                    "Pay small-scale fishers a premium for verified catch so that "
                    "traceability benefits those who bear its cost.",
                ],
                announcements=[
                    AnnouncementSpec(
                        "Traceable, IUU-free tuna from small-scale fishers by 2029",
                        commitment="Traceable, IUU-free tuna from small-scale fishers by 2029",
                    ),
                ],
                in_person=52,
                online=0,
                by_category={PRIVATE: 15, CSO: 12, SCIENCE: 10, MS: 8, INDIGENOUS: 7},
            ),
        ),
    ),
    ProposalSpec(
        "amani",
        "Side event: survivor-led partnerships to end gender-based violence",
        "Survivors' organisations, a county government and a youth collective on services that "
        "work and the funding they need.",
        PF_DAY,
        (13, 15),
        (14, 30),
        CR11,
        70,
        "accepted",
        co_organisers=["young-feminists", "kisumu-gender"],
        themes=["sdg-5-gender-equality"],
        goals=[5, 16],
        session=SessionSpec(
            "pf-side-gbv",
            "side_event",
            "Side event: survivor-led partnerships to end gender-based violence",
            PF_DAY,
            (13, 15),
            (14, 30),
            CR11,
            segment="Side events",
            orgs=["amani", "young-feminists", "kisumu-gender"],
            organisers=["amani"],
            themes=["sdg-5-gender-equality"],
            goals=[5, 16],
            speakers=[
                SpeakerSpec("Ms. Wanjiru Kamau", "Executive Director", org="amani"),
                SpeakerSpec("Ms. Achieng Otieno", "County Executive", org="kisumu-gender"),
            ],
            # leader@'s task: begun, not submitted.
            summary=SummarySpec(
                "draft",
                key_messages=(
                    "One-stop centres run with survivors' organisations reach women that "
                    "police stations never see."
                ),
                recommendations=[
                    "Fund survivor-led organisations directly, with multi-year core funding.",
                ],
            ),
        ),
    ),
    ProposalSpec(
        "codeher",
        "Online side event: from coding class to contract, decent digital jobs for young women",
        "Young women developers, employers and a mobile operator on placements that lead to "
        "formal jobs.",
        PF_DAY,
        (13, 15),
        (14, 30),
        VIRTUAL,
        150,
        "accepted",
        co_organisers=["kestrel"],
        themes=["sdg-8-decent-work", "sdg-5-gender-equality"],
        goals=[5, 8],
        session=SessionSpec(
            "pf-side-digital-jobs",
            "side_event",
            "Online side event: from coding class to contract, decent digital jobs for young women",
            PF_DAY,
            (13, 15),
            (14, 30),
            VIRTUAL,
            segment="Side events",
            orgs=["codeher", "kestrel"],
            organisers=["codeher"],
            themes=["sdg-8-decent-work", "sdg-5-gender-equality"],
            goals=[5, 8],
            speakers=[SpeakerSpec("Ms. Abena Mensah", "Founder", org="codeher")],
            online_url="https://meet.example.org/pf25-digital-jobs",
            summary=SummarySpec(
                "submitted",
                days_after=11,
                key_messages=(
                    "Training alone does not make a job: placements with employers who pay "
                    "and mentor do. AI tools open new work and new risks of bias."
                ),
                recommendations=[
                    "Tie digital skills training for young women to paid placements and "
                    "formal contracts with partner employers.",
                    "Leverage AI to bridge gender gaps in employment and access to technology, "
                    "with safeguards against bias in hiring tools.",
                ],
                announcements=[
                    AnnouncementSpec(
                        "Paid internships for 300 young women developers",
                        maker="Kestrel Mobile Networks",
                        amount="1500000",
                        currency="USD",
                    ),
                ],
                in_person=0,
                online=135,
                by_category={YOUTH: 60, PRIVATE: 25, WOMEN: 20, CSO: 15, MS: 5},
            ),
        ),
    ),
    ProposalSpec(
        "gender-data-centre",
        "Side event: counting what matters, gender data for the 2025 HLPF",
        "Statisticians and civil society on open, disaggregated data for Goals 3, 5, 8 and 14.",
        PF_DAY,
        (18, 15),
        (19, 30),
        CR11,
        50,
        "accepted",
        co_organisers=["voices-radio"],
        themes=["sdg-5-gender-equality"],
        goals=[5, 17],
        session=SessionSpec(
            "pf-side-data",
            "side_event",
            "Side event: counting what matters, gender data for the 2025 HLPF",
            PF_DAY,
            (18, 15),
            (19, 30),
            CR11,
            segment="Side events",
            orgs=["gender-data-centre", "voices-radio"],
            organisers=["gender-data-centre"],
            themes=["sdg-5-gender-equality"],
            goals=[5, 17],
            speakers=[
                SpeakerSpec("Dr. Astrid Lindqvist", "Director", org="gender-data-centre"),
                SpeakerSpec("Ms. Grace Namutebi", "Editor", org="voices-radio"),
            ],
            summary=SummarySpec("missing"),  # overdue: nothing written
        ),
    ),
    ProposalSpec(
        "meridian",
        "Side event: a voluntary code for the fashion industry",
        "Brands and suppliers present a voluntary code of conduct for garment factories.",
        PF_DAY,
        (13, 15),
        (14, 30),
        CR12,
        80,
        "declined",
        themes=["sdg-8-decent-work"],
        goals=[8, 12],
        reason=(
            "Conference Room 12 holds the fireside chat at that time, and side events at the "
            "Forum showcase partnerships with results to scale: the code has no workers' "
            "organisation among its partners yet. We would welcome it with a trade union as "
            "co-organiser next year."
        ),
        days_before=35,
    ),
    ProposalSpec(
        "voices-radio",
        "Side event: community radio as a partner for the SDGs",
        "Women journalists on how community radio carries the SDGs to villages without internet.",
        PF_DAY,
        (18, 15),
        (19, 30),
        CR12,
        40,
        "submitted",
        themes=["sdg-5-gender-equality"],
        goals=[5, 16],
        days_before=9,
    ),
]

PF_STATEMENTS = [
    StatementSpec(
        "pf-opening",
        "shelter-dignity",
        "Refugee women must shape the partnerships meant for them",
        "The Shelter and Dignity Coalition calls on Member States and partners to include "
        "refugee and displaced women in the design of every partnership that concerns them, "
        "and to fund the organisations they lead directly.",
        "selected",
    ),
    StatementSpec(
        "pf-opening",
        "youth-peacebuilders",
        "A seat, a budget and a voice for young people",
        "Young peacebuilders ask for youth seats in every SDG Action Segment, a youth window in "
        "partnership funds and accountability for the promises made to young people.",
        "selected",
    ),
    StatementSpec(
        "pf-opening",
        "marine-futures",
        "Science for partnerships that deliver",
        "The Marine Futures Institute offers open monitoring methods so that partnerships "
        "report on results with data anyone can check.",
        "selected",
    ),
    StatementSpec(
        "pf-opening",
        "baobab",
        "Small grants, big change",
        "Girl-led groups achieve much with small, flexible grants; we ask funders to simplify "
        "their applications.",
        "submitted",
    ),
    StatementSpec(
        "pf-opening",
        "meridian",
        "Our factories lead the way",
        "Meridian Apparel Holdings presents its record and its products to the Forum.",
        "declined",
        reason="Statements address the Forum's theme; this one promotes a company's products.",
    ),
]

PARTNERSHIP_FORUM_2025 = EventSpec(
    programme="ecosoc",
    slug="partnership-forum-2025",
    name="2025 ECOSOC Partnership Forum",
    acronym="ECOSOC-PF25",
    description=(
        "\u201cAdvancing sustainable, inclusive, science- and evidence-based solutions for the "
        "2030 Agenda for Sustainable Development and its Sustainable Development Goals for "
        "leaving no one behind.\u201d Plenaries, four SDG Action Segments on the Goals reviewed "
        "at the 2025 High-level Political Forum (3, 5, 8 and 14, with 17 across all), thematic "
        "breakouts, a fireside chat, a pitch segment and side events, in person and online. "
        "The demo holds a sample of the registrations (the Forum engaged over 2,200 "
        "stakeholders in 2024, 450 of them in person)."
    ),
    starts_on=PF_DAY,
    ends_on=PF_DAY,
    venue="United Nations Headquarters, New York",
    time_zone="America/New_York",
    online_url=PF_LIVE,
    in_person_capacity=60,
    rooms=[
        (ECOSOC_CHAMBER, 450, False),
        (CR4, 300, False),
        (CR11, 80, False),
        (CR12, 80, False),
        (VIRTUAL, None, True),
    ],
    sessions=PF_SESSIONS,
    proposals=PF_SIDE_EVENTS,
    statements=PF_STATEMENTS,
)

# Registrations of the 2025 Forum (generated by demo.forum from these lists) ---------------------

PF_REGISTRATIONS = 90  # generated people; the demo's organisation people register too
PF_IN_PERSON = 55  # of the generated people; the others take part online
PF_CANCELLED = 2
# The people of the demo organisations who organise sessions give their gender (all women but
# these).
MEN_ORGANISERS = {"tidewater"}
WOMEN_NAMES = [
    "Amara", "Leila", "Sofia", "Mariam", "Nadia", "Chiara", "Yuki", "Aiyana", "Zainab", "Elena",
    "Fatima", "Ines", "Kiri", "Lena", "Nomvula", "Olga", "Palesa", "Rahel", "Sunita", "Tala",
    "Ursula", "Vanessa", "Wangari", "Ximena", "Yasmin", "Zodwa", "Hana", "Isabel", "Jamila",
    "Karin",
]  # fmt: skip
MEN_NAMES = [
    "Adebayo", "Bruno", "Chen", "Dmitri", "Emeka", "Farid", "Gustavo", "Hiroshi", "Ibrahim",
    "Jonas", "Kwame", "Luis", "Mateo", "Nikolai", "Oscar", "Pedro", "Rashid", "Samuel", "Tevita",
    "Uche", "Vikram", "Wei", "Yaw", "Ziad", "Andrés", "Bilal", "Darius", "Elias",
]  # fmt: skip
OTHER_NAMES = ["Alex", "Kai", "Robin", "Sam", "Noa", "Jules"]
FAMILY_NAMES = [
    "Abebe", "Banda", "Castillo", "Dlamini", "Eriksen", "Fernandes", "Gomez", "Haddad",
    "Ibekwe", "Jensen", "Kaur", "Lopez", "Moreau", "Nakamura", "Osei", "Petrov", "Qureshi",
    "Rossi", "Sato", "Tshabalala", "Uddin", "Vargas", "Wanjala", "Xu", "Yilmaz", "Zulu",
    "Achterberg", "Bakr", "Cruz", "Delgado", "Essien", "Fofana", "Gunawardena", "Hussein",
    "Ivanova", "Jovanovic", "Kamara", "Lemaire", "Mwangi", "Nguyen",
]  # fmt: skip
# ISO codes of the countries registrants come from, every region of the world.
PF_COUNTRIES = [
    "US", "CA", "MX", "BR", "AR", "CO", "PE", "GB", "FR", "DE", "NO", "SE", "IT", "KE", "NG",
    "GH", "ZA", "ET", "SN", "EG", "MA", "IN", "BD", "PK", "CN", "JP", "PH", "ID", "FJ", "WS",
    "AU", "JO", "LB", "TR", "QA",
]  # fmt: skip
PF_CATEGORIES = [
    CSO, CSO, CSO, MS, MS, UN, WOMEN, WOMEN, YOUTH, YOUTH, PRIVATE, PRIVATE, ACAD, PHIL,
    LOCAL, WORKERS, INDIGENOUS, DISAB, FAITH, SCIENCE, MEDIA, IFI, INTL,
]  # fmt: skip

# The Forum's global consultation (seed 002: "over 300 responses") ------------------------------


@dataclass
class ConsultationSpec:
    slug: str
    title: str
    description: str
    opens: dt.datetime
    closes: dt.datetime
    questions: list[tuple[str, str]]  # text, help
    # For each question: themes, each a list of sentence templates with {place} and {group}.
    templates: list[list[list[str]]]
    responses: int
    imported_share: float  # a share of the responses came from a spreadsheet import


PLACES = [
    "coastal Bangladesh",
    "the Sahel",
    "our district",
    "the Pacific islands",
    "rural Peru",
    "northern Kenya",
    "the informal settlements of our city",
    "small island States",
    "our region",
    "mountain villages",
]
GROUPS = [
    "women farmers",
    "young people",
    "persons with disabilities",
    "indigenous communities",
    "informal workers",
    "refugees and migrants",
    "older women",
    "fishing communities",
]

CONSULTATION_QUESTIONS = [
    (
        "What are the greatest challenges to achieving the SDGs where you live or work?",
        "Name the one or two that matter most, with an example if you can.",
    ),
    (
        "Which kinds of partnership would make the biggest difference, and what would help "
        "them grow?",
        "Think of a partnership you know that works, or one that is missing.",
    ),
]

CHALLENGES = [
    [  # climate change
        "Climate change is the first challenge: droughts and floods destroy harvests in "
        "{place} and {group} have no means to adapt.",
        "Rising seas and stronger storms in {place} force families to move; {group} are hit first.",
        "Extreme weather undoes years of development in {place}, and adaptation funding "
        "never reaches {group}.",
        "Climate change: the rains no longer come when expected in {place}, so {group} lose "
        "their crops and their income.",
    ],
    [  # poverty and cost of living
        "Poverty is growing again in {place}; food and fuel prices have doubled and {group} "
        "skip meals.",
        "Extreme poverty and debt: households in {place} borrow to eat and {group} fall "
        "further behind.",
        "The cost of living crisis pushes {group} in {place} back into poverty.",
    ],
    [  # inequality and exclusion
        "Inequality: {group} in {place} are left out of decisions and of services.",
        "Discrimination keeps {group} out of schools, jobs and health care in {place}.",
        "The gap between rich and poor keeps widening in {place}, and {group} are invisible "
        "in policies.",
        "Leaving no one behind remains words: {group} in {place} still lack basic services.",
    ],
    [  # access to finance for local organisations
        "Local organisations cannot reach funding: calls are written for large NGOs, not for "
        "groups of {group} in {place}.",
        "Funding is short-term and tied to projects, so small organisations in {place} cannot "
        "keep their staff.",
        "Grassroots groups in {place} spend more time on reports to donors than on their "
        "work with {group}.",
    ],
    [  # shrinking civic space
        "Civic space is shrinking in {place}: organisations that speak for {group} are "
        "harassed or closed.",
        "Activists defending {group} in {place} face threats, and their organisations lose "
        "their registration.",
    ],
    [  # data gaps
        "There is no data on {group} in {place}, so nobody plans for them.",
        "Statistics are not disaggregated by sex, age or disability: {group} in {place} do "
        "not appear in the numbers.",
    ],
]

PARTNERSHIPS = [
    [  # standard tools and blended finance
        "Blended finance with standard terms, so that small projects in {place} can attract "
        "investors without months of lawyers.",
        "Simple, standard templates for partnership agreements and risk sharing would let "
        "organisations in {place} partner with companies.",
        "Guarantee schemes and first-loss capital from donors to bring private investment to "
        "{place}.",
    ],
    [  # flexible funding for local and grassroots organisations
        "Long-term, flexible funding given directly to organisations of {group} in {place}.",
        "Core funding for grassroots organisations, not only projects, so that {group} can lead.",
        "Donors should fund local organisations in {place} directly instead of through "
        "international intermediaries.",
    ],
    [  # local partnerships with the UN country team and local governments
        "Partnerships between local government, the UN country team and community groups "
        "in {place}.",
        "The Resident Coordinator Office should bring together local authorities and "
        "organisations of {group} around the national plan.",
        "Local partnerships: municipalities, schools and community groups in {place} working "
        "on one plan.",
    ],
    [  # youth
        "Partnerships led by young people, with a real budget and a seat at the table in {place}.",
        "Give youth organisations a role in every partnership, not a side event.",
    ],
    [  # digital tools and open data
        "Open data and simple digital tools so that communities in {place} can follow what "
        "partnerships deliver.",
        "A public platform listing partnerships and their results, so that {group} can hold "
        "them to account.",
        "Mobile technology to bring services and information to {group} in {place}.",
    ],
]

PF_CONSULTATION = ConsultationSpec(
    slug="global-consultation-2025",
    title="Global consultation for the 2025 ECOSOC Partnership Forum",
    description=(
        "Tell us the challenges you face in achieving the SDGs and the partnerships that would "
        "make the biggest difference. The answers shape the Forum's segments and are "
        "summarised, without attribution, in the Co-Chairs' Summary."
    ),
    opens=dt.datetime(2024, 11, 1, 14, 0, tzinfo=dt.UTC),
    closes=dt.datetime(2025, 1, 10, 23, 0, tzinfo=dt.UTC),
    questions=CONSULTATION_QUESTIONS,
    templates=[CHALLENGES, PARTNERSHIPS],
    responses=96,
    imported_share=0.25,
)

# 2024 UN Civil Society Conference, Nairobi (seed 000) -------------------------------------------

CSC_DAY_1 = dt.date(2024, 5, 9)
CSC_DAY_2 = dt.date(2024, 5, 10)
CSC_PLENARY = "Plenary Hall"
CSC_R1 = "Conference Room 1"
CSC_R2 = "Conference Room 2"
CSC_R3 = "Conference Room 3"
WORKSHOPS = "Workshops"

CSC_SESSIONS = [
    SessionSpec(
        "csc-opening",
        "plenary",
        "Opening plenary: ImPACT for the Future",
        CSC_DAY_1,
        (9, 30),
        (11, 0),
        CSC_PLENARY,
        "Civil society's expectations of the Summit of the Future and the Pact for the Future.",
        by_secretariat=True,
        themes=["transforming-global-governance"],
        goals=[16, 17],
        speakers=[
            SpeakerSpec("Ms. Halima Ward", "Co-Chair (fictional)"),
            SpeakerSpec("Mr. Joseph Tan", "Co-Chair (fictional)"),
        ],
        summary=SummarySpec(
            "submitted",
            days_after=6,
            key_messages=(
                "The Conference opened as the first held in Africa, with a call to make the "
                "Pact for the Future a pact of peoples as well as of governments. Ms. Halima "
                "Ward invited participants to form ImPACT Coalitions that outlive the "
                "Conference."
            ),
            recommendations=[
                "Give civil society a formal, permanent place in the follow-up of the Pact for "
                "the Future, at the UN and at national level.",
                "Form ImPACT Coalitions of diverse stakeholders that work towards the reform "
                "initiatives of the Pact beyond the Summit.",
            ],
            in_person=1800,
            online=2400,
            by_category={CSO: 900, YOUTH: 350, WOMEN: 200, MS: 120, UN: 150, ACAD: 80},
        ),
    ),
    SessionSpec(
        "csc-financing",
        "breakout",
        "Workshop: a fair financial architecture for sustainable development",
        CSC_DAY_1,
        (11, 30),
        (13, 0),
        CSC_R1,
        "Debt, tax and access to concessional finance for the SDGs.",
        segment=WORKSHOPS,
        orgs=["gender-finance-facility"],
        organisers=["gender-finance-facility"],
        themes=["sustainable-development-and-financing"],
        goals=[1, 10, 17],
        speakers=[
            SpeakerSpec(
                "Ms. Selam Tesfaye", "Chief investment officer", org="gender-finance-facility"
            )
        ],
        summary=SummarySpec(
            "submitted",
            days_after=10,
            key_messages=(
                "Debt service crowds out health and education budgets in many African "
                "countries. Participants asked for a voice for civil society in debt "
                "negotiations."
            ),
            recommendations=[
                "Reform the international financial architecture so that debt relief and fair "
                "taxation free resources for the SDGs.",
                "Include civil society in debt negotiations and in the design of financing "
                "for development.",
                "Standardise blended finance instruments so that smaller countries can use "
                "them without high transaction costs.",
            ],
            in_person=160,
            online=240,
            by_category={CSO: 80, IFI: 20, ACAD: 25, MS: 15, WOMEN: 20},
        ),
    ),
    SessionSpec(
        "csc-peace",
        "breakout",
        "Workshop: civil society and faith actors for prevention and peace",
        CSC_DAY_1,
        (11, 30),
        (13, 0),
        CSC_R2,
        "Early warning, dialogue and inclusive peacebuilding.",
        segment=WORKSHOPS,
        orgs=["interfaith", "sahel-mediators"],
        organisers=["interfaith"],
        themes=["international-peace-and-security"],
        goals=[16],
        speakers=[
            SpeakerSpec("Ms. Maya Khoury", "Secretary-General", org="interfaith"),
            SpeakerSpec("Ms. Fatoumata Traoré", "Mediator", org="sahel-mediators"),
        ],
        summary=SummarySpec(
            "submitted",
            days_after=8,
            key_messages=(
                "Local mediators and faith leaders detect tensions before any national "
                "system does. Their alerts rarely reach decision-makers."
            ),
            recommendations=[
                "Link the alerts of local mediators and faith leaders to national early "
                "warning systems.",
                "Guarantee women's direct participation in peace processes, from local "
                "committees to national negotiations.",
            ],
            announcements=[
                AnnouncementSpec(
                    "Faith leaders for early warning and dialogue in Lebanon",
                    commitment="Faith leaders for early warning and dialogue in Lebanon",
                ),
            ],
            in_person=120,
            online=150,
            by_category={FAITH: 40, WOMEN: 30, CSO: 35, UN: 15},
        ),
    ),
    SessionSpec(
        "csc-digital",
        "breakout",
        "Workshop: open data and the Global Digital Compact",
        CSC_DAY_1,
        (11, 30),
        (13, 0),
        CSC_R3,
        "Data that civil society can use and produce; digital rights.",
        segment=WORKSHOPS,
        orgs=["gender-data-centre"],
        organisers=["gender-data-centre"],
        themes=["science-technology-and-digital-cooperation"],
        goals=[9, 17],
        speakers=[SpeakerSpec("Dr. Astrid Lindqvist", "Director", org="gender-data-centre")],
        summary=SummarySpec(
            "late",
            days_after=21,
            key_messages=(
                "Data gaps make whole groups invisible. Civil society produces data that "
                "official statistics ignore."
            ),
            recommendations=[
                "Publish open, disaggregated data that civil society organisations can use "
                "in their advocacy.",
                "Recognise citizen-generated data in national SDG reporting.",
            ],
            in_person=90,
            online=310,
            by_category={ACAD: 30, CSO: 35, MEDIA: 10, UN: 15},
        ),
    ),
    SessionSpec(
        "csc-youth",
        "breakout",
        "Workshop: youth and future generations",
        CSC_DAY_1,
        (14, 30),
        (16, 0),
        CSC_R1,
        "Meaningful youth participation and the Declaration on Future Generations.",
        segment=WORKSHOPS,
        orgs=["youth-peacebuilders", "young-feminists"],
        organisers=["youth-peacebuilders"],
        themes=["youth-and-future-generations"],
        goals=[4, 16],
        speakers=[
            SpeakerSpec("Mr. Camilo Restrepo", "Coordinator", org="youth-peacebuilders"),
            SpeakerSpec("Ms. Priya Raman", "Co-founder", org="young-feminists"),
        ],
        summary=SummarySpec(
            "submitted",
            days_after=4,
            key_messages=(
                "Young people are a majority in many countries and a minority in every "
                "decision. An ImPACT Coalition for youth seats was launched."
            ),
            recommendations=[
                "Create youth seats in national peace councils and in UN decision-making bodies.",
                "Open a youth window in peacebuilding and development funds.",
                "Include young people in every delegation to the Summit of the Future.",
            ],
            announcements=[
                AnnouncementSpec(
                    "ImPACT Coalition for youth seats in peace and governance",
                    commitment="ImPACT Coalition for youth seats in peace and governance",
                ),
            ],
            in_person=260,
            online=520,
            by_category={YOUTH: 180, CSO: 40, UN: 20, MS: 20},
        ),
    ),
    SessionSpec(
        "csc-governance",
        "breakout",
        "Workshop: transforming global governance",
        CSC_DAY_1,
        (14, 30),
        (16, 0),
        CSC_R2,
        "Security Council reform, a UN that hears civil society, and accountability.",
        segment=WORKSHOPS,
        orgs=["shelter-dignity", "nepal-caucus"],
        organisers=["shelter-dignity"],
        themes=["transforming-global-governance"],
        goals=[16, 17],
        speakers=[
            SpeakerSpec("Ms. Rania Haddad", "Director", org="shelter-dignity"),
            SpeakerSpec("Ms. Sita Gurung", "Member of Parliament", org="nepal-caucus"),
        ],
        summary=SummarySpec(
            "submitted",
            days_after=12,
            key_messages=(
                "Global institutions were built for another century. Parliamentarians and "
                "civil society asked for a UN that listens beyond governments."
            ),
            recommendations=[
                "Appoint a UN civil society envoy and create a single digital door for civil "
                "society participation at the UN.",
                "Give civil society a formal role in following up the Pact for the Future, "
                "with regular reviews open to stakeholders.",
            ],
            in_person=140,
            online=200,
            by_category={CSO: 70, WOMEN: 25, MS: 15, UN: 10},
        ),
    ),
    SessionSpec(
        "csc-feminist-pact",
        "breakout",
        "Workshop: a Feminist Pact for the follow-up of the Pact for the Future",
        CSC_DAY_2,
        (10, 0),
        (11, 30),
        CSC_R1,
        "Women's rights organisations on the gender commitments of the Pact.",
        segment=WORKSHOPS,
        orgs=["amani", "red-mujeres"],
        organisers=["amani"],
        themes=["transforming-global-governance"],
        goals=[5, 16],
        speakers=[
            SpeakerSpec("Ms. Wanjiru Kamau", "Executive Director", org="amani"),
            SpeakerSpec("Ms. Valentina Sosa", "Coordinator", org="red-mujeres"),
        ],
        summary=SummarySpec(
            "submitted",
            days_after=5,
            key_messages=(
                "The Pact's gender commitments need money and monitoring to mean anything. "
                "A Feminist Pact coalition was proposed to follow them up."
            ),
            recommendations=[
                "Provide flexible core funding to women's rights organisations, which are "
                "the first to defend the commitments of the Pact at home.",
                "Track the gender commitments of the Pact for the Future with public, "
                "disaggregated data.",
            ],
            in_person=180,
            online=260,
            by_category={WOMEN: 110, CSO: 30, YOUTH: 20, UN: 10},
        ),
    ),
    SessionSpec(
        "csc-localising",
        "breakout",
        "Workshop: localising the 2030 Agenda with civil society",
        CSC_DAY_2,
        (10, 0),
        (11, 30),
        CSC_R2,
        "Voluntary local reviews co-produced with community organisations.",
        segment=WORKSHOPS,
        orgs=["kisumu-gender"],
        organisers=["kisumu-gender"],
        themes=["sustainable-development-and-financing"],
        goals=[11, 17],
        speakers=[SpeakerSpec("Ms. Achieng Otieno", "County Executive", org="kisumu-gender")],
        summary=SummarySpec(
            "submitted",
            days_after=13,
            key_messages=(
                "Counties and cities that review the SDGs with their communities find the "
                "gaps national reviews miss."
            ),
            recommendations=[
                "Co-produce voluntary local reviews with community organisations and publish them.",
                "Invest in the capacity of local organisations to lead the localisation of "
                "the 2030 Agenda.",
            ],
            in_person=110,
            online=130,
            by_category={LOCAL: 30, CSO: 50, UN: 10, ACAD: 10},
        ),
    ),
    SessionSpec(
        "csc-closing",
        "plenary",
        "Closing plenary: the Co-Chairs' Summary and the ImPACT Coalitions",
        CSC_DAY_2,
        (15, 0),
        (16, 30),
        CSC_PLENARY,
        "The ImPACT Coalitions formed at the Conference and the way to the Summit of the Future.",
        by_secretariat=True,
        themes=["transforming-global-governance"],
        goals=[16, 17],
        speakers=[
            SpeakerSpec("Ms. Halima Ward", "Co-Chair (fictional)"),
            SpeakerSpec("Mr. Joseph Tan", "Co-Chair (fictional)"),
        ],
        summary=SummarySpec(
            "submitted",
            days_after=3,
            key_messages=(
                "Coalitions formed in Nairobi will carry the Conference's asks to New York. "
                "The Co-Chairs will compile the session summaries into their Summary."
            ),
            recommendations=[
                "Keep the ImPACT Coalitions open to new members and report on their work "
                "plans before the Summit of the Future.",
                "Ensure a permanent place for civil society in the follow-up and review of "
                "the Pact for the Future.",
            ],
            in_person=1500,
            online=2100,
            by_category={CSO: 800, YOUTH: 280, WOMEN: 180, MS: 100, UN: 120},
        ),
    ),
]

CIVIL_SOCIETY_CONFERENCE_2024 = EventSpec(
    programme="csc",
    slug="civil-society-conference-2024",
    name="2024 UN Civil Society Conference",
    acronym="UNCSC24",
    description=(
        "The first UN Civil Society Conference held in Africa, in support of the Summit of the "
        "Future. Its outcome, \u201cImPACT for the Future\u201d: a hub of ImPACT Coalitions and "
        "a Co-Chairs' Summary compiled from the summaries of every session."
    ),
    starts_on=CSC_DAY_1,
    ends_on=CSC_DAY_2,
    venue="United Nations Office at Nairobi, Gigiri",
    time_zone="Africa/Nairobi",
    online_url="https://webtv.example.org/un-civil-society-conference-2024",
    in_person_capacity=2000,
    rooms=[
        (CSC_PLENARY, 2000, False),
        (CSC_R1, 300, False),
        (CSC_R2, 300, False),
        (CSC_R3, 200, False),
    ],
    sessions=CSC_SESSIONS,
)

EVENTS = [PARTNERSHIP_FORUM_2025, CIVIL_SOCIETY_CONFERENCE_2024]

# The Co-Chairs' Summaries: compiled from the summaries, the introduction written by the
# editors (an editor's version on top of the compiled draft), then published.  The digest of
# the 2025 Forum is sent to the programme's subscribers.

COCHAIRS_INTRODUCTIONS = {
    PARTNERSHIP_FORUM_2025.slug: (
        "This summary presents the key messages and recommendations of the 2025 ECOSOC "
        "Partnership Forum collectively and without attribution to any individual participant. "
        "It draws on the summaries of the plenaries, the four SDG Action Segments, the thematic "
        "breakouts, the fireside chat, the pitch segment and the side events, and on the "
        "responses to the global consultation held before the Forum."
    ),
    CIVIL_SOCIETY_CONFERENCE_2024.slug: (
        "The Co-Chairs of the 2024 UN Civil Society Conference in Nairobi present this summary "
        "of the discussions, compiled from the summaries written by the organisers of each "
        "session. It reflects the views expressed, presented collectively and without "
        "attribution, and is submitted as an input to the Summit of the Future."
    ),
}
DIGEST_EVENTS = [PARTNERSHIP_FORUM_2025.slug]
