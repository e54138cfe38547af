"""The demo data of ``manage.py load_demo``, drawn from the three seed documents.

Programmes, themes and blueprint actions follow the sources (Generation Equality Action
Coalitions FAQ and WPS-HA Compact, seed 001; ImPACT for the Future, seed 000; ECOSOC
Partnership Forum 2025, seed 002).  Organisations, people and commitments are fictional:
any resemblance of a non-governmental name to a real body is unintended, and the commitments
attributed to governments are invented for the demonstration.

Dates are given relative to the day the demo is loaded (``today``) where the demo needs them to
be live (open registration windows, commitments starting next year), and as in the sources
where they are history (the 2024 conference).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

DOMAIN = "demo.pledgebook.org"
PASSWORD = "pledgebook-demo"


def email(handle: str) -> str:
    return f"{handle}@{DOMAIN}"


# People with a role of their own (the logins printed by `make run` and the README).
LOGINS: list[tuple[str, str, str]] = [
    (
        "Secretariat (all three programmes)",
        email("secretariat"),
        "decide applications (one is overdue), feature confirmed commitments, audit log",
    ),
    (
        "Reviewer (Generation Equality only)",
        email("reviewer"),
        "review submitted commitments of Generation Equality",
    ),
    (
        "Coalition leader",
        email("leader"),
        "Amani Women's Rights Network: leads the Gender-Based Violence coalition, reported "
        "in both cycles, proposed the Feminist Pact coalition (UN Civil Society Conference), "
        "organised a Partnership Forum side event whose summary is still to write",
    ),
    (
        "Organisation representative",
        email("maker"),
        "Kestrel Mobile Networks: draft, submitted, returned, confirmed; a co-maker "
        "invitation; a progress report to write (its personal link is printed above)",
    ),
    (
        "Programme manager",
        email("programmes"),
        "Console → Create a programme: creates a programme with its settings and runs it "
        "(the 'Programme managers' group, given in /admin/)",
    ),
    (
        "Investor",
        email("investor"),
        "Bridge Partners Impact Capital: ranked matches of the Partnership Forum's pitch "
        "segment with their reasons and what the hard constraints filtered out; interest, "
        "an outcome in due diligence",
    ),
    ("Platform staff", email("admin"), "/admin/ (staff and superuser)"),
]


# Programmes ------------------------------------------------------------------------------


@dataclass
class ThemeSpec:
    slug: str
    name: str
    description: str
    goals: list[int]
    actions: list[tuple[str, str, str]] = field(default_factory=list)  # code, title, text


@dataclass
class ProgrammeSpec:
    key: str
    slug: str
    name: str
    kind: str
    summary: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    window: str  # "open" (30 days ago to 60 days ahead) or "past"
    past_window: tuple[dt.datetime, dt.datetime] | None
    types: list[str]
    leader_years: tuple[int, int]
    maker_years: tuple[int, int]
    reporting_cycle: str
    themes: list[ThemeSpec]
    review_days: int = 21


UTC = dt.UTC

GENERATION_EQUALITY = ProgrammeSpec(
    key="ge",
    slug="generation-equality-2021",
    name="Generation Equality Forum 2021",
    kind="action_coalitions",
    summary=(
        "A voluntary, multi-stakeholder and intergenerational convening to accelerate the "
        "implementation of the Beijing Platform for Action. Six Action Coalitions, each led by "
        "a group of partners who co-designed a Blueprint, and the Women, Peace and Security and "
        "Humanitarian Action Compact invite governments, women's, feminist and youth-led "
        "organisations, international organisations, philanthropy and the private sector to "
        "make ambitious, measurable commitments backed by resources for the next five years."
    ),
    starts_on=dt.date(2021, 3, 29),
    ends_on=dt.date(2026, 7, 2),
    window="open",
    past_window=None,
    types=["financial", "advocacy", "policy", "programmatic"],
    leader_years=(5, 5),
    maker_years=(1, 5),
    reporting_cycle="annual",
    themes=[
        ThemeSpec(
            "gender-based-violence",
            "Gender-Based Violence",
            "End gender-based violence against women and girls in all their diversity, through "
            "laws and policies, prevention, survivor-centred services and funding for women's "
            "rights organisations.",
            [5, 16],
            [
                (
                    "GBV.1",
                    "Adopt and implement laws and policies that prevent and respond to "
                    "gender-based violence, including in digital spaces",
                    "By 2026, 550 million more women and girls live in countries with laws and "
                    "policies prohibiting all forms of gender-based violence.",
                ),
                (
                    "GBV.2",
                    "Scale up evidence-driven prevention programmes that shift harmful norms",
                    "Fund and implement prevention approaches proven to reduce violence, in "
                    "schools, communities and workplaces.",
                ),
                (
                    "GBV.3",
                    "Expand comprehensive, survivor-centred services",
                    "Health, police and justice, shelter and psychosocial services that are "
                    "accessible, coordinated and funded.",
                ),
                (
                    "GBV.4",
                    "Increase flexible funding to women's rights organisations ending violence",
                    "Grow long-term, core funding to autonomous women's rights organisations "
                    "working on gender-based violence by 50% by 2026.",
                ),
            ],
        ),
        ThemeSpec(
            "economic-justice-and-rights",
            "Economic Justice and Rights",
            "Transform economies so that women and girls have decent work, control over "
            "resources and a fair share of unpaid care.",
            [1, 5, 8, 10],
            [
                (
                    "EJR.1",
                    "Recognise, reduce and redistribute unpaid care work",
                    "Invest in quality care services and infrastructure and create decent care "
                    "jobs.",
                ),
                (
                    "EJR.2",
                    "Expand decent work and close gender gaps in pay and participation",
                    "Including for women in informal employment, through policy and workplace "
                    "change.",
                ),
                (
                    "EJR.3",
                    "Increase women's access to and control over productive resources",
                    "Land, credit, digital financial services and markets.",
                ),
                (
                    "EJR.4",
                    "Design gender-responsive macroeconomic and social protection systems",
                    "Budgets, tax and social protection that reduce women's poverty.",
                ),
            ],
        ),
        ThemeSpec(
            "bodily-autonomy-and-srhr",
            "Bodily Autonomy and Sexual and Reproductive Health and Rights",
            "Every woman and girl decides freely about her body, health, sexuality and "
            "reproduction.",
            [3, 5],
            [
                (
                    "BA.1",
                    "Expand comprehensive sexuality education in and out of school",
                    "Reach 50 million more adolescents and young people by 2026.",
                ),
                (
                    "BA.2",
                    "Increase access to quality contraception and sexual and reproductive "
                    "health services",
                    "Services that are affordable, confidential and youth-friendly.",
                ),
                (
                    "BA.3",
                    "Strengthen laws, policies and accountability that protect bodily autonomy",
                    "Remove legal barriers and monitor the implementation of rights.",
                ),
                (
                    "BA.4",
                    "Support feminist and youth-led organisations advancing bodily autonomy",
                    "Fund the organisations that hold decision-makers to account.",
                ),
            ],
        ),
        ThemeSpec(
            "feminist-action-for-climate-justice",
            "Feminist Action for Climate Justice",
            "Women and girls lead the just transition and have direct access to the resources "
            "that build resilience to climate change.",
            [5, 13],
            [
                (
                    "FACJ.1",
                    "Increase direct access to climate finance for women-led organisations",
                    "Gender-just climate solutions designed and run by grassroots women.",
                ),
                (
                    "FACJ.2",
                    "Build the resilience of women and girls to climate and disaster risks",
                    "Early warning, adaptation and loss-and-damage responses that reach women.",
                ),
                (
                    "FACJ.3",
                    "Increase women's leadership in the green economy and climate decisions",
                    "From local adaptation committees to national climate delegations.",
                ),
                (
                    "FACJ.4",
                    "Collect and use gender data on climate impacts",
                    "Sex-disaggregated data in national adaptation plans and climate reporting.",
                ),
            ],
        ),
        ThemeSpec(
            "technology-and-innovation",
            "Technology and Innovation for Gender Equality",
            "Close the gender digital divide and make technology and innovation work for women "
            "and girls, safely.",
            [4, 5, 9],
            [
                (
                    "TI.1",
                    "Bridge the gender digital divide in access and digital skills",
                    "Halve the gender gap in digital access and skills by 2026.",
                ),
                (
                    "TI.2",
                    "Invest in feminist technology, women innovators and entrepreneurs",
                    "Increase investment in women-led technology companies.",
                ),
                (
                    "TI.3",
                    "Build inclusive and accountable innovation ecosystems",
                    "Double the share of women working in technology and innovation.",
                ),
                (
                    "TI.4",
                    "Prevent and eliminate technology-facilitated gender-based violence",
                    "Policies, platform standards and services for survivors of online abuse.",
                ),
            ],
        ),
        ThemeSpec(
            "feminist-movements-and-leadership",
            "Feminist Movements and Leadership",
            "Feminist movements are resourced, protected and lead in decision-making at every "
            "level.",
            [5, 10, 16],
            [
                (
                    "FML.1",
                    "Increase sustained, flexible core funding to feminist movements",
                    "Core, multi-year funding that feminist organisations decide how to use.",
                ),
                (
                    "FML.2",
                    "Protect civic space and women human rights defenders",
                    "Laws, protection mechanisms and rapid support for defenders at risk.",
                ),
                (
                    "FML.3",
                    "Advance women's and girls' participation and leadership in decision-making",
                    "Parity in public institutions and young feminist leadership.",
                ),
            ],
        ),
        ThemeSpec(
            "compact-financing",
            "WPS-HA Compact: Financing WPS and gender in humanitarian action",
            "Women, Peace and Security and Humanitarian Action Compact, thematic area 1.",
            [5, 16, 17],
            [
                (
                    "WPS1.1",
                    "Allocate a fixed share of peace, security and humanitarian funding to "
                    "gender equality",
                    "Publish the share and the plan to reach it.",
                ),
                (
                    "WPS1.2",
                    "Fund local women's organisations in conflict and crisis directly",
                    "Flexible, multi-year funding without intermediaries where possible.",
                ),
                (
                    "WPS1.3",
                    "Track and publish gender-marked funding for WPS and humanitarian action",
                    "Annual public reporting with the OECD gender equality marker.",
                ),
            ],
        ),
        ThemeSpec(
            "compact-peace-processes",
            "WPS-HA Compact: Women's meaningful participation in peace processes",
            "Women, Peace and Security and Humanitarian Action Compact, thematic area 2.",
            [5, 16],
            [
                (
                    "WPS2.1",
                    "Guarantee women's direct participation in peace negotiations",
                    "In delegations, mediation teams and monitoring bodies.",
                ),
                (
                    "WPS2.2",
                    "Support networks of women mediators at local, national and regional level",
                    "Training, accompaniment and access to formal processes.",
                ),
                (
                    "WPS2.3",
                    "Include gender provisions in peace agreements and monitor them",
                    "Provisions drafted with women's organisations and tracked after signature.",
                ),
            ],
        ),
        ThemeSpec(
            "compact-economic-security",
            "WPS-HA Compact: Women's economic security, access to resources and other "
            "essential services",
            "Women, Peace and Security and Humanitarian Action Compact, thematic area 3.",
            [1, 5, 16],
            [
                (
                    "WPS3.1",
                    "Ensure women in crisis have access to cash assistance and livelihoods",
                    "Cash transfers and livelihood programmes designed with women.",
                ),
                (
                    "WPS3.2",
                    "Secure women's access to land, housing and property after conflict",
                    "Legal aid and registration of women's tenure.",
                ),
                (
                    "WPS3.3",
                    "Restore essential services in humanitarian settings",
                    "Including sexual and reproductive health services from the first days of "
                    "a response.",
                ),
            ],
        ),
        ThemeSpec(
            "compact-leadership",
            "WPS-HA Compact: Women's leadership and agency across peace, security and "
            "humanitarian sectors",
            "Women, Peace and Security and Humanitarian Action Compact, thematic area 4.",
            [5, 16],
            [
                (
                    "WPS4.1",
                    "Increase women's leadership in humanitarian coordination and security "
                    "institutions",
                    "Targets for women in leadership of clusters, missions and security forces.",
                ),
                (
                    "WPS4.2",
                    "Fund young women peacebuilders and their organisations",
                    "Dedicated windows for organisations led by young women.",
                ),
                (
                    "WPS4.3",
                    "Consult women-led organisations in every humanitarian response plan",
                    "Institutionalised, documented consultation.",
                ),
            ],
        ),
        ThemeSpec(
            "compact-protection",
            "WPS-HA Compact: Protection of women in conflict and crisis contexts, including "
            "women human rights defenders",
            "Women, Peace and Security and Humanitarian Action Compact, thematic area 5.",
            [5, 16],
            [
                (
                    "WPS5.1",
                    "Protect women human rights defenders and peacebuilders from reprisals",
                    "Protection mechanisms, relocation and legal support.",
                ),
                (
                    "WPS5.2",
                    "Prevent and respond to conflict-related sexual violence",
                    "Survivor-centred services and accountability for perpetrators.",
                ),
                (
                    "WPS5.3",
                    "Establish rapid response mechanisms for women at risk in crisis settings",
                    "Emergency funds and safe referral pathways.",
                ),
                (
                    "WPS5.4",
                    "Make humanitarian settings safe for women and girls",
                    "Safe shelter, lighting, sanitation and distribution points.",
                ),
            ],
        ),
    ],
)

CIVIL_SOCIETY_CONFERENCE = ProgrammeSpec(
    key="csc",
    slug="un-civil-society-conference-2024",
    name="UN Civil Society Conference 2024 (ImPACT for the Future)",
    kind="conference",
    summary=(
        "The 2024 United Nations Civil Society Conference in Nairobi, on the way to the Summit "
        "of the Future. Its outcome, \u201cImPACT for the Future\u201d, is a hub of "
        "civil-society generated ImPACT Coalitions that agree to advance key reform initiatives "
        "of the Pact for the Future, and a Co-Chairs' Summary compiled from the summaries of "
        "every session. Expressions of interest were due by 8 April 2024."
    ),
    starts_on=dt.date(2024, 5, 9),
    ends_on=dt.date(2024, 5, 10),
    window="past",
    past_window=(
        dt.datetime(2024, 2, 15, tzinfo=UTC),
        dt.datetime(2024, 4, 9, tzinfo=UTC),
    ),
    types=["advocacy", "policy", "programmatic"],
    leader_years=(1, 5),
    maker_years=(1, 3),
    reporting_cycle="semi_annual",
    themes=[
        ThemeSpec(
            "sustainable-development-and-financing",
            "Sustainable development and financing for development",
            "Pact for the Future, chapter I.",
            [1, 10, 17],
            [
                (
                    "I.1",
                    "Reform the international financial architecture for the SDGs",
                    "Debt relief, fair taxation and access to concessional finance.",
                ),
                (
                    "I.2",
                    "Localise the 2030 Agenda with civil society",
                    "Voluntary local reviews co-produced with community organisations.",
                ),
            ],
        ),
        ThemeSpec(
            "international-peace-and-security",
            "International peace and security",
            "Pact for the Future, chapter II.",
            [16],
            [
                (
                    "II.1",
                    "Strengthen prevention and inclusive peacebuilding",
                    "Civil society and faith actors in early warning and dialogue.",
                ),
            ],
        ),
        ThemeSpec(
            "science-technology-and-digital-cooperation",
            "Science, technology and innovation and digital cooperation",
            "Pact for the Future, chapter III, and the Global Digital Compact.",
            [9, 17],
            [
                (
                    "III.1",
                    "Open, inclusive data for the SDGs",
                    "Disaggregated data that civil society can use and produce.",
                ),
            ],
        ),
        ThemeSpec(
            "youth-and-future-generations",
            "Youth and future generations",
            "Pact for the Future, chapter IV, and the Declaration on Future Generations.",
            [4, 16],
            [
                (
                    "IV.1",
                    "Meaningful youth participation in decision-making",
                    "Youth seats, funding and accountability in national and UN processes.",
                ),
            ],
        ),
        ThemeSpec(
            "transforming-global-governance",
            "Transforming global governance",
            "Pact for the Future, chapter V.",
            [16, 17],
            [],
        ),
    ],
)

PARTNERSHIP_FORUM = ProgrammeSpec(
    key="ecosoc",
    slug="ecosoc-partnership-forum-2025",
    name="ECOSOC Partnership Forum 2025",
    kind="partnership_forum",
    summary=(
        "\u201cAdvancing sustainable, inclusive, science- and evidence-based solutions for the "
        "2030 Agenda for Sustainable Development and its Sustainable Development Goals for "
        "leaving no one behind\u201d: United Nations Headquarters, New York, 5 February 2025. "
        "SDG Action Segments on the Goals reviewed at the 2025 High-level Political Forum "
        "(3, 5, 8, 14 and 17) showcase partnerships ready to scale and connect them with "
        "investors, foundations and the private sector."
    ),
    starts_on=dt.date(2025, 2, 5),
    ends_on=dt.date(2025, 2, 5),
    window="open",
    past_window=None,
    types=["financial", "advocacy", "policy", "programmatic"],
    leader_years=(1, 5),
    maker_years=(1, 5),
    reporting_cycle="annual",
    themes=[
        ThemeSpec(
            "sdg-3-health",
            "SDG Action Segment: Good health and well-being (SDG 3)",
            "Pandemic preparedness, universal health coverage and digital health innovation.",
            [3],
            [
                (
                    "SDG3.1",
                    "Partnerships for pandemic preparedness",
                    "Regional surveillance, supply and surge capacity.",
                ),
                (
                    "SDG3.2",
                    "Strengthen universal health coverage with grassroots organisations",
                    "Community health workers and equitable access.",
                ),
                (
                    "SDG3.3",
                    "Digital health innovation, including AI for diagnostics",
                    "Responsible use of AI in primary care.",
                ),
            ],
        ),
        ThemeSpec(
            "sdg-5-gender-equality",
            "SDG Action Segment: Gender equality (SDG 5)",
            "Gender considerations mainstreamed across every segment of the Forum.",
            [5],
            [
                (
                    "SDG5.1",
                    "Eliminate gender-based violence",
                    "Prevention and services through multi-stakeholder partnerships.",
                ),
                (
                    "SDG5.2",
                    "Improve social protection and promote living wages for women",
                    "Social protection floors and living-wage benchmarks.",
                ),
                (
                    "SDG5.3",
                    "Use AI to close gender gaps in employment and technology access",
                    "Skills, access and safeguards against bias.",
                ),
            ],
        ),
        ThemeSpec(
            "sdg-8-decent-work",
            "SDG Action Segment: Decent work and economic growth (SDG 8)",
            "Just transitions, informality and fair labour practices.",
            [8],
            [
                (
                    "SDG8.1",
                    "Support just transitions",
                    "Reskilling and social dialogue in sectors that change.",
                ),
                (
                    "SDG8.2",
                    "Address informality in labour markets",
                    "Pathways to formal, protected work.",
                ),
                (
                    "SDG8.3",
                    "Advance fair labour practices with trade unions and ministries of labour",
                    "Collective bargaining, equal pay and workplace safety.",
                ),
            ],
        ),
        ThemeSpec(
            "sdg-14-life-below-water",
            "SDG Action Segment: Life below water (SDG 14)",
            "Restoring marine ecosystems, combating pollution, sustainable fisheries.",
            [14],
            [
                (
                    "SDG14.1",
                    "Restore marine ecosystems",
                    "Protected areas managed with coastal communities.",
                ),
                (
                    "SDG14.2",
                    "Combat marine pollution",
                    "Plastics and land-based pollution.",
                ),
                (
                    "SDG14.3",
                    "Promote sustainable and traceable fisheries",
                    "End illegal, unreported and unregulated fishing.",
                ),
                (
                    "SDG14.4",
                    "Transboundary marine conservation and the blue economy",
                    "In the spirit of the Great Blue Wall Initiative.",
                ),
            ],
        ),
        ThemeSpec(
            "sdg-17-partnerships",
            "SDG Action Segment: Partnerships for the Goals (SDG 17)",
            "Standardised tools, blended finance and localised capacity building.",
            [17],
            [
                (
                    "SDG17.1",
                    "Standardised tools for partnerships",
                    "Templates for financing, risk sharing and impact measurement.",
                ),
                (
                    "SDG17.2",
                    "Blended financing models",
                    "Blended finance and impact investing for scalable SDG initiatives.",
                ),
                (
                    "SDG17.3",
                    "Localised capacity building",
                    "Community-driven capacity building with Resident Coordinator Offices.",
                ),
                (
                    "SDG17.4",
                    "Youth representation in every SDG Action Segment",
                    "Intergenerational dialogue in partnerships.",
                ),
            ],
        ),
    ],
)

PROGRAMMES = [GENERATION_EQUALITY, CIVIL_SOCIETY_CONFERENCE, PARTNERSHIP_FORUM]


# Organisations and their people ------------------------------------------------------------


@dataclass
class OrgSpec:
    key: str
    name: str
    category: str
    country: str  # ISO 3166-1 alpha-2
    description: str
    person: tuple[str, str, str]  # e-mail handle, first name, last name
    website: str = ""
    grassroots: bool = False


GOV_NOTE = "Demo record: the commitments shown for this government are fictional."

ORGANISATIONS = [
    # Member states
    OrgSpec(
        "costa-rica",
        "Government of Costa Rica",
        "member_state",
        "CR",
        GOV_NOTE,
        ("costa-rica", "Lucía", "Araya"),
    ),
    OrgSpec(
        "senegal",
        "Government of Senegal",
        "member_state",
        "SN",
        GOV_NOTE,
        ("senegal", "Aminata", "Diallo"),
    ),
    OrgSpec(
        "norway",
        "Government of Norway",
        "member_state",
        "NO",
        GOV_NOTE,
        ("norway", "Ingrid", "Solberg"),
    ),
    OrgSpec(
        "fiji",
        "Government of Fiji",
        "member_state",
        "FJ",
        GOV_NOTE,
        ("fiji", "Mereani", "Tuilagi"),
    ),
    # Government departments, local authorities, parliaments
    OrgSpec(
        "kisumu-gender",
        "Lakeside County Department of Gender Affairs",
        "local_authority",
        "KE",
        "County department coordinating gender-based violence response across 7 sub-counties.",
        ("lakeside", "Achieng", "Otieno"),
    ),
    OrgSpec(
        "nepal-caucus",
        "Parliamentary Women's Caucus of Nepal",
        "parliament",
        "NP",
        "Cross-party caucus of women members of parliament.",
        ("caucus", "Sita", "Gurung"),
    ),
    # Private sector
    OrgSpec(
        "kestrel",
        "Kestrel Mobile Networks",
        "private_sector",
        "ZA",
        "Mobile network operator and mobile-money provider in 6 African markets.",
        ("maker", "Thandiwe", "Nkosi"),
        website="https://kestrel.example.org",
    ),
    OrgSpec(
        "tidewater",
        "Tidewater Seafoods Group",
        "private_sector",
        "PH",
        "Tuna processing and export company sourcing from 1,200 small-scale fishers.",
        ("tidewater", "Ramon", "Villanueva"),
    ),
    OrgSpec(
        "meridian",
        "Meridian Apparel Holdings",
        "private_sector",
        "BD",
        "Garment manufacturer with 14 factories and 40,000 workers, 80% of them women.",
        ("meridian", "Farhan", "Rahman"),
    ),
    # Philanthropy
    OrgSpec(
        "solstice",
        "Solstice Foundation for Equality",
        "philanthropy",
        "US",
        "Private foundation funding feminist movements since 1998.",
        ("solstice", "Margaret", "Holloway"),
        website="https://solstice.example.org",
    ),
    OrgSpec(
        "baobab",
        "Baobab Trust for Girls",
        "philanthropy",
        "NG",
        "African women's fund giving small grants to girl-led groups.",
        ("baobab", "Ngozi", "Okafor"),
    ),
    OrgSpec(
        "bridge-partners",
        "Bridge Partners Impact Capital",
        "private_sector",
        "GB",
        "Impact investment firm: loans, equity and blended finance for partnerships that have "
        "outgrown grants, in Asia, the Pacific and small island developing States.",
        ("investor", "Kofi", "Ward"),
        website="https://bridge-partners.example.org",
    ),
    # UN agencies, international and regional organisations, IFIs
    OrgSpec(
        "gender-finance-facility",
        "Pan-African Gender Finance Facility",
        "ifi",
        "ET",
        "Regional development finance facility for women-led enterprises.",
        ("pagff", "Selam", "Tesfaye"),
    ),
    OrgSpec(
        "andean-health",
        "Andean Health Alliance Secretariat",
        "international",
        "PE",
        "Intergovernmental health cooperation secretariat of 5 Andean countries.",
        ("andean", "Rosa", "Quispe"),
    ),
    # Women's and feminist organisations, civil society
    OrgSpec(
        "amani",
        "Amani Women's Rights Network",
        "women",
        "KE",
        "Network of 140 women's rights organisations working to end gender-based violence in "
        "East Africa.",
        ("leader", "Wanjiru", "Kamau"),
        website="https://amani.example.org",
        grassroots=True,
    ),
    OrgSpec(
        "red-mujeres",
        "Red Mujeres del Sur",
        "women",
        "AR",
        "Feminist network for sexual and reproductive rights in the Southern Cone.",
        ("redmujeres", "Valentina", "Sosa"),
    ),
    OrgSpec(
        "sisters-climate",
        "Sisters for Climate Justice Bangladesh",
        "women",
        "BD",
        "Coastal women's groups organising for climate adaptation.",
        ("sisters", "Nasrin", "Akter"),
        grassroots=True,
    ),
    OrgSpec(
        "sahel-mediators",
        "Women Mediators Collective of the Sahel",
        "women",
        "ML",
        "Women mediators working in local peace committees in central Mali.",
        ("mediators", "Fatoumata", "Traoré"),
        grassroots=True,
    ),
    OrgSpec(
        "shelter-dignity",
        "Shelter and Dignity Coalition",
        "civil_society",
        "JO",
        "Humanitarian coalition protecting refugee women and girls.",
        ("shelter", "Rania", "Haddad"),
    ),
    OrgSpec(
        "ocean-guardians",
        "Ocean Guardians of the Pacific",
        "civil_society",
        "WS",
        "Village-based marine conservation network.",
        ("oceanguardians", "Sina", "Faleolo"),
        grassroots=True,
    ),
    # Youth-led organisations
    OrgSpec(
        "young-feminists",
        "Young Feminists Rising",
        "youth_led",
        "IN",
        "Youth-led feminist collective working on digital safety and leadership.",
        ("yfr", "Priya", "Raman"),
    ),
    OrgSpec(
        "youth-peacebuilders",
        "Youth Peacebuilders Network",
        "youth_led",
        "CO",
        "Young peacebuilders in 40 municipalities affected by conflict.",
        ("ypn", "Camilo", "Restrepo"),
    ),
    OrgSpec(
        "codeher",
        "CodeHer Africa Youth",
        "youth_led",
        "GH",
        "Young women teaching coding and digital entrepreneurship.",
        ("codeher", "Abena", "Mensah"),
    ),
    # Academia, research, media, faith-based, other
    OrgSpec(
        "gender-data-centre",
        "Centre for Gender Data Research",
        "academia",
        "SE",
        "University research centre on gender statistics.",
        ("gdc", "Astrid", "Lindqvist"),
    ),
    OrgSpec(
        "voices-radio",
        "Women's Voices Radio Collective",
        "media",
        "UG",
        "Community radio network run by women journalists.",
        ("radio", "Grace", "Namutebi"),
        grassroots=True,
    ),
    OrgSpec(
        "interfaith",
        "Interfaith Council for Dignity",
        "faith_based",
        "LB",
        "Faith leaders for peace and the dignity of women and girls.",
        ("interfaith", "Maya", "Khoury"),
    ),
    OrgSpec(
        "marine-futures",
        "Marine Futures Institute",
        "science",
        "AU",
        "Independent marine science institute.",
        ("marine", "Liam", "Carter"),
    ),
]


# Applications -------------------------------------------------------------------------------


@dataclass
class ApplicationSpec:
    programme: str  # programme key
    org: str
    themes: list[str]  # theme slugs
    role: str  # "maker" or "leader"
    outcome: str  # "approved", "declined" or "pending"
    days_ago: int = 40  # when it was submitted (open windows)
    at: dt.datetime | None = None  # when it was submitted (a past programme)
    motivation: str = ""
    reason: str = ""


CSC_APPLIED = dt.datetime(2024, 3, 4, 10, 0, tzinfo=UTC)

APPLICATIONS = [
    # Generation Equality: leaders
    ApplicationSpec(
        "ge",
        "amani",
        ["gender-based-violence"],
        "leader",
        "approved",
        motivation="We co-designed the Blueprint with survivors' organisations in 9 countries.",
    ),
    ApplicationSpec("ge", "senegal", ["economic-justice-and-rights"], "leader", "approved"),
    ApplicationSpec("ge", "norway", ["bodily-autonomy-and-srhr"], "leader", "approved"),
    ApplicationSpec("ge", "solstice", ["feminist-movements-and-leadership"], "leader", "approved"),
    # Generation Equality: commitment makers
    ApplicationSpec("ge", "amani", ["technology-and-innovation"], "maker", "approved"),
    ApplicationSpec(
        "ge",
        "kestrel",
        ["technology-and-innovation", "economic-justice-and-rights", "gender-based-violence"],
        "maker",
        "approved",
        motivation="Mobile money and connectivity for women-owned micro-businesses.",
    ),
    ApplicationSpec(
        "ge",
        "young-feminists",
        ["gender-based-violence", "technology-and-innovation"],
        "maker",
        "approved",
    ),
    ApplicationSpec(
        "ge", "costa-rica", ["feminist-action-for-climate-justice"], "maker", "approved"
    ),
    ApplicationSpec("ge", "fiji", ["feminist-action-for-climate-justice"], "maker", "approved"),
    ApplicationSpec(
        "ge", "sisters-climate", ["feminist-action-for-climate-justice"], "maker", "approved"
    ),
    ApplicationSpec("ge", "meridian", ["economic-justice-and-rights"], "maker", "approved"),
    ApplicationSpec("ge", "red-mujeres", ["bodily-autonomy-and-srhr"], "maker", "approved"),
    ApplicationSpec("ge", "sahel-mediators", ["compact-peace-processes"], "maker", "approved"),
    ApplicationSpec("ge", "shelter-dignity", ["compact-protection"], "maker", "approved"),
    ApplicationSpec("ge", "baobab", ["feminist-movements-and-leadership"], "maker", "approved"),
    # Generation Equality: waiting for a decision (the first is past its 21-day deadline)
    ApplicationSpec(
        "ge",
        "voices-radio",
        ["gender-based-violence", "feminist-movements-and-leadership"],
        "maker",
        "pending",
        days_ago=30,
        motivation="Community radio programmes on violence prevention in 12 districts.",
    ),
    ApplicationSpec(
        "ge",
        "kisumu-gender",
        ["gender-based-violence"],
        "maker",
        "pending",
        days_ago=3,
        motivation="County one-stop centres for survivors.",
    ),
    ApplicationSpec("ge", "nepal-caucus", ["compact-leadership"], "maker", "pending", days_ago=1),
    ApplicationSpec(
        "ge",
        "tidewater",
        ["feminist-action-for-climate-justice"],
        "maker",
        "declined",
        reason=(
            "Your proposal is about fisheries supply-chain traceability, which this coalition's "
            "Blueprint does not cover. The SDG 14 segment of the ECOSOC Partnership Forum is a "
            "better home for it."
        ),
    ),
    # UN Civil Society Conference 2024 (registration closed)
    ApplicationSpec(
        "csc",
        "youth-peacebuilders",
        ["youth-and-future-generations"],
        "leader",
        "approved",
        at=CSC_APPLIED,
    ),
    ApplicationSpec(
        "csc",
        "interfaith",
        ["international-peace-and-security"],
        "maker",
        "approved",
        at=CSC_APPLIED,
    ),
    ApplicationSpec(
        "csc",
        "gender-data-centre",
        ["science-technology-and-digital-cooperation"],
        "maker",
        "approved",
        at=CSC_APPLIED,
    ),
    ApplicationSpec(
        "csc",
        "voices-radio",
        ["science-technology-and-digital-cooperation"],
        "maker",
        "declined",
        # Applications end with the registration window (8 April): this one came just before.
        at=dt.datetime(2024, 4, 7, 9, 0, tzinfo=UTC),
        reason=(
            "The session's panel was complete when your application arrived; the ImPACT "
            "coalitions formed at the Conference are open to you."
        ),
    ),
    # ECOSOC Partnership Forum 2025
    ApplicationSpec("ecosoc", "tidewater", ["sdg-14-life-below-water"], "maker", "approved"),
    ApplicationSpec("ecosoc", "ocean-guardians", ["sdg-14-life-below-water"], "leader", "approved"),
    ApplicationSpec("ecosoc", "marine-futures", ["sdg-14-life-below-water"], "maker", "approved"),
    ApplicationSpec("ecosoc", "andean-health", ["sdg-3-health"], "maker", "approved"),
    ApplicationSpec(
        "ecosoc", "codeher", ["sdg-8-decent-work", "sdg-5-gender-equality"], "maker", "approved"
    ),
    ApplicationSpec(
        "ecosoc",
        "gender-finance-facility",
        ["sdg-17-partnerships", "sdg-5-gender-equality"],
        "maker",
        "approved",
    ),
    ApplicationSpec("ecosoc", "kestrel", ["sdg-17-partnerships"], "maker", "pending", days_ago=5),
    ApplicationSpec("ecosoc", "interfaith", ["sdg-3-health"], "maker", "pending", days_ago=10),
    ApplicationSpec(
        "ecosoc",
        "meridian",
        ["sdg-8-decent-work"],
        "maker",
        "declined",
        reason=(
            "Segments showcase partnerships that are ready to scale; please apply again with "
            "the partners and the results of the pilot you describe."
        ),
    ),
]


# Commitments --------------------------------------------------------------------------------


@dataclass
class CommitmentSpec:
    programme: str
    org: str
    title: str
    description: str
    status: str  # the state the demo leaves it in
    types: list[str]
    themes: list[str]
    actions: list[str] = field(default_factory=list)  # action codes
    goals: list[int] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    scope: str = "national"
    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)  # M49 codes
    starts_in: int = 1  # start on 1 January of this year + starts_in
    starts_on: dt.date | None = None  # or on this day
    years: int | None = 3  # length; None leaves the end date open (drafts)
    amount: str | None = None
    currency: str | None = None
    funds_are_new: bool | None = None
    endorsement: str = "executive"
    condition: str = ""  # a pledge conditional on approval says on which
    co_makers: list[tuple[str, bool]] = field(default_factory=list)  # org key, confirmed
    reason: str = ""
    submitted_at: dt.datetime | None = None  # for a programme whose window has closed


COMMITMENTS = [
    # Generation Equality ---------------------------------------------------------------------
    CommitmentSpec(
        "ge",
        "amani",
        "Survivor-centred services in 12 Kenyan counties",
        "Amani will open and run 24 one-stop centres for survivors of gender-based violence in "
        "12 counties of Kenya, each offering medical care, legal aid, psychosocial support and "
        "safe shelter under one roof. We will train 600 health workers, police officers and "
        "paralegals in survivor-centred practice, publish a yearly public dashboard of cases "
        "served and outcomes, and hand every centre over to county budgets by the end of "
        "2030, with KES 180 million of new funding raised from our members and partners. Young "
        "Feminists Rising runs the youth outreach in schools and universities.",
        "featured",
        ["programmatic", "financial"],
        ["gender-based-violence"],
        actions=["GBV.3", "GBV.4"],
        goals=[5, 16],
        targets=["5.2", "16.1"],
        countries=["KE"],
        starts_in=-1,
        years=5,
        amount="180000000",
        currency="KES",
        funds_are_new=True,
        endorsement="minister",
        co_makers=[("young-feminists", True)],
    ),
    CommitmentSpec(
        "ge",
        "amani",
        "Safe online spaces: end technology-facilitated violence in East Africa",
        "Together with Young Feminists Rising and Kestrel Mobile Networks we will run a "
        "regional campaign and a reporting hotline against online abuse of women journalists, "
        "activists and girls in Kenya, Uganda and Tanzania. By 2031 we aim to reach 5 million "
        "people with prevention messages, answer 20,000 reports with referral to legal and "
        "psychosocial support, and secure safety-by-design commitments from 3 mobile operators "
        "and 2 social media platforms.",
        "in_review",
        ["advocacy", "programmatic"],
        ["gender-based-violence", "technology-and-innovation"],
        actions=["GBV.1", "TI.4"],
        goals=[5],
        targets=["5.2", "5.b"],
        scope="regional",
        regions=["014"],
        starts_in=1,
        years=5,
        endorsement="executive",
        co_makers=[("young-feminists", True), ("kestrel", False)],
    ),
    CommitmentSpec(
        "ge",
        "kestrel",
        "Connect 200,000 women-owned micro-businesses to mobile money",
        "Kestrel Mobile Networks will connect 200,000 women-owned micro-businesses in South "
        "Africa, Kenya and Nigeria to mobile money accounts with zero fees on transactions "
        "under USD 20, and train 50,000 of their owners in digital and financial skills through "
        "our agent network. We will invest USD 2.5 million of new funds over three years and "
        "report the number of accounts opened, active users and loans taken each year, "
        "disaggregated by country and age group.",
        "confirmed",
        ["programmatic", "financial"],
        ["technology-and-innovation", "economic-justice-and-rights"],
        actions=["TI.1", "EJR.3"],
        goals=[5, 8, 9],
        targets=["5.b", "8.10", "9.c"],
        countries=["ZA", "KE", "NG"],
        starts_in=-1,
        years=3,
        amount="2500000",
        currency="USD",
        funds_are_new=True,
        endorsement="executive",
    ),
    CommitmentSpec(
        "ge",
        "kestrel",
        "Close the gender pay gap in our workforce",
        "We will close the gender pay gap across our workforce in South Africa by publishing "
        "pay data every year, reviewing every salary band and correcting unexplained "
        "differences in the annual pay review cycle.",
        "returned",
        ["policy"],
        ["economic-justice-and-rights"],
        actions=["EJR.2"],
        goals=[5, 8],
        targets=["8.5"],
        countries=["ZA"],
        years=2,
        endorsement="senior",
        reason=(
            "Give today's pay gap (the baseline) and the number you aim for at the end, and say "
            "who checks the pay data: 'close the gap' alone cannot be measured."
        ),
    ),
    CommitmentSpec(
        "ge",
        "kestrel",
        "Paid parental leave of 26 weeks for every employee",
        "From 2027 every Kestrel employee in our 6 markets, whatever their gender, will be "
        "entitled to 26 weeks of fully paid parental leave, with a phased return to work and "
        "on-site or subsidised childcare for children under four at our 9 largest offices.",
        "submitted",
        ["policy"],
        ["economic-justice-and-rights"],
        actions=["EJR.1"],
        goals=[5, 8],
        targets=["5.4", "8.5"],
        countries=["ZA", "KE", "NG", "GH", "UG", "ET"],
        years=3,
        endorsement="executive",
    ),
    CommitmentSpec(
        "ge",
        "kestrel",
        "Women in engineering apprenticeships",
        "Apprenticeships in network engineering for young women, with mentors from our "
        "technical teams.",
        "draft",
        ["programmatic"],
        ["technology-and-innovation"],
        actions=["TI.3"],
        goals=[5, 4],
        countries=["ZA"],
        years=None,
        endorsement="",
    ),
    CommitmentSpec(
        "ge",
        "costa-rica",
        "National fund for women-led climate adaptation",
        "Costa Rica will create a national fund of USD 10 million for climate adaptation "
        "projects designed and led by rural, indigenous and Afro-descendant women's "
        "organisations, with a simplified application process and direct grants of up to "
        "USD 50,000. At least 200 organisations will be funded by 2030, and the fund will "
        "report on hectares restored, households reached and women in decision-making roles.",
        "confirmed",
        ["financial", "policy"],
        ["feminist-action-for-climate-justice"],
        actions=["FACJ.1", "FACJ.3"],
        goals=[5, 13],
        targets=["5.5", "13.1"],
        countries=["CR"],
        starts_in=-1,
        years=4,
        amount="10000000",
        currency="USD",
        funds_are_new=True,
        endorsement="head_of_state",
        condition="Subject to approval of each year's national budget by the Legislative Assembly.",
    ),
    CommitmentSpec(
        "ge",
        "senegal",
        "A national care strategy with 2,000 community childcare centres",
        "Senegal will adopt a national care strategy in 2026 and open 2,000 community childcare "
        "centres by 2030, creating 8,000 decent jobs for care workers, most of them women, and "
        "freeing time for 60,000 mothers to work, study or rest. The strategy will be financed "
        "from the national budget and monitored through the time-use survey every two years.",
        "confirmed",
        ["policy", "financial"],
        ["economic-justice-and-rights"],
        actions=["EJR.1", "EJR.4"],
        goals=[5, 8],
        targets=["5.4", "8.5"],
        countries=["SN"],
        starts_in=-1,
        years=5,
        amount="30000000000",
        currency="XOF",
        funds_are_new=True,
        endorsement="head_of_state",
    ),
    CommitmentSpec(
        "ge",
        "norway",
        "NOK 1.6 billion for sexual and reproductive health and rights",
        "Norway will provide NOK 1.6 billion over five years to partners that expand access to "
        "contraception, comprehensive sexuality education and safe, legal sexual and "
        "reproductive health services, with at least a quarter channelled to women-led and "
        "youth-led organisations in the Global South, reported annually in the OECD creditor "
        "reporting system with the gender equality marker.",
        "confirmed",
        ["financial", "advocacy"],
        ["bodily-autonomy-and-srhr"],
        actions=["BA.1", "BA.2", "BA.4"],
        goals=[3, 5],
        targets=["3.7", "5.6"],
        scope="global",
        starts_in=-1,
        years=5,
        amount="1600000000",
        currency="NOK",
        funds_are_new=False,
        endorsement="minister",
    ),
    CommitmentSpec(
        "ge",
        "solstice",
        "USD 25 million in flexible core funding for feminist movements",
        "Solstice Foundation will grant USD 25 million in multi-year, flexible core funding to "
        "at least 150 feminist, women's rights and young feminist organisations, half of them "
        "with budgets under USD 200,000, through participatory grant-making panels of activists "
        "in four regions, together with the Baobab Trust for Girls. We will publish every grant "
        "and the share reaching grassroots groups each year, and an independent evaluation by "
        "the end of 2030.",
        "featured",
        ["financial"],
        ["feminist-movements-and-leadership"],
        actions=["FML.1"],
        goals=[5, 10],
        targets=["5.5", "5.c", "10.2"],
        scope="global",
        starts_in=-1,
        years=5,
        amount="25000000",
        currency="USD",
        funds_are_new=True,
        endorsement="minister",
        co_makers=[("baobab", True)],
    ),
    CommitmentSpec(
        "ge",
        "sisters-climate",
        "3,000 women climate first responders in coastal Bangladesh",
        "We will train and equip 3,000 women in 60 coastal unions of Khulna and Satkhira as "
        "climate first responders who run early warning, evacuation of older people and "
        "children, and safe shelter management during cyclones, and secure them seats on 60 "
        "union disaster management committees by 2029.",
        "submitted",
        ["programmatic"],
        ["feminist-action-for-climate-justice"],
        actions=["FACJ.2", "FACJ.3"],
        goals=[5, 13],
        targets=["13.1", "5.5"],
        countries=["BD"],
        years=3,
        endorsement="executive",
    ),
    CommitmentSpec(
        "ge",
        "meridian",
        "Minimum wage compliance in all our factories",
        "Meridian Apparel Holdings will pay at least the legal minimum wage to all 40,000 "
        "workers in its 14 factories, publish an annual compliance statement and train line "
        "supervisors on the labour code.",
        "declined",
        ["policy"],
        ["economic-justice-and-rights"],
        actions=["EJR.2"],
        goals=[8],
        targets=["8.5"],
        countries=["BD"],
        years=2,
        endorsement="senior",
        reason=(
            "Paying the legal minimum wage is an obligation under national law, not a "
            "commitment that advances a Blueprint action. A commitment to a living-wage "
            "benchmark with independent verification would be welcome."
        ),
    ),
    CommitmentSpec(
        "ge",
        "red-mujeres",
        "Comprehensive sexuality education in 500 schools of the Southern Cone",
        "Red Mujeres del Sur will train 2,000 teachers in 500 public schools of Argentina, "
        "Chile and Uruguay to teach comprehensive sexuality education, and run a campaign for "
        "its full implementation under existing national law, with a yearly shadow report on "
        "coverage in each province.",
        "in_review",
        ["advocacy", "programmatic"],
        ["bodily-autonomy-and-srhr"],
        actions=["BA.1", "BA.3"],
        goals=[3, 5],
        targets=["3.7", "5.6"],
        countries=["AR", "CL", "UY"],
        years=3,
        endorsement="executive",
    ),
    CommitmentSpec(
        "ge",
        "sahel-mediators",
        "Women in every local peace committee of Mopti and Ségou",
        "We will train 400 women mediators and accompany them until women hold at least a third "
        "of the seats of the 120 local peace committees of the Mopti and Ségou regions, and "
        "document every local agreement they help reach, with a yearly report to the regional "
        "reconciliation authority. By 2030, women mediators will have taken part in the "
        "negotiation of at least 200 local agreements on land, water and the return of "
        "displaced families.",
        "confirmed",
        ["programmatic"],
        ["compact-peace-processes"],
        actions=["WPS2.1", "WPS2.2"],
        goals=[5, 16],
        targets=["5.5", "16.7"],
        countries=["ML"],
        starts_in=-1,
        years=4,
        endorsement="executive",
    ),
    CommitmentSpec(
        "ge",
        "shelter-dignity",
        "Safe shelter and rapid response for refugee women in Jordan and Lebanon",
        "We will make 35 informal settlements safer for women and girls with lighting, "
        "lockable sanitation and women-only distribution points, and run a rapid response fund "
        "that relocates women human rights defenders at risk within 72 hours, across Jordan and "
        "Lebanon.",
        "submitted",
        ["programmatic", "financial"],
        ["compact-protection"],
        actions=["WPS5.3", "WPS5.4"],
        goals=[5, 16],
        targets=["5.2", "16.1"],
        countries=["JO", "LB"],
        years=2,
        amount="1200000",
        currency="EUR",
        funds_are_new=True,
        endorsement="executive",
        condition="Subject to the renewal of our humanitarian partnership agreement.",
    ),
    CommitmentSpec(
        "ge",
        "baobab",
        "Small grants for girl-led groups",
        "Small grants for girl-led groups in West Africa.",
        "draft",
        ["financial"],
        ["feminist-movements-and-leadership"],
        goals=[5],
        scope="regional",
        regions=["011"],
        years=None,
        amount="150000000",
        currency="NGN",
        endorsement="",
    ),
    # UN Civil Society Conference 2024 (submitted inside its window, in 2024) --------------------
    CommitmentSpec(
        "csc",
        "youth-peacebuilders",
        "ImPACT Coalition for youth seats in peace and governance",
        "The Youth Peacebuilders Network convenes an ImPACT Coalition of 35 youth-led "
        "organisations that advances three asks of the Pact for the Future: youth seats in "
        "national peace councils, a youth window in peacebuilding funds and meaningful youth "
        "participation at the UN. Our work plan runs to 2026 with quarterly coalition calls.",
        "confirmed",
        ["advocacy"],
        ["youth-and-future-generations"],
        actions=["IV.1"],
        goals=[16],
        targets=["16.7"],
        scope="global",
        starts_on=dt.date(2024, 6, 1),
        years=2,
        endorsement="executive",
        submitted_at=dt.datetime(2024, 4, 2, 12, 0, tzinfo=UTC),
    ),
    CommitmentSpec(
        "csc",
        "interfaith",
        "Faith leaders for early warning and dialogue in Lebanon",
        "The Interfaith Council for Dignity will train 120 faith leaders of all communities in "
        "early warning and dialogue facilitation and hold 40 local dialogues a year, linking "
        "their alerts to the national early warning platform in cooperation with civil society "
        "by the end of 2025.",
        "confirmed",
        ["programmatic"],
        ["international-peace-and-security"],
        actions=["II.1"],
        goals=[16],
        targets=["16.1"],
        countries=["LB"],
        starts_on=dt.date(2024, 6, 1),
        years=2,
        endorsement="executive",
        submitted_at=dt.datetime(2024, 4, 3, 12, 0, tzinfo=UTC),
    ),
    CommitmentSpec(
        "csc",
        "gender-data-centre",
        "Open gender data for civil society",
        "We will publish open, disaggregated gender data sets and teach civil society "
        "organisations to use them in their advocacy, together with national statistical "
        "offices, through online courses and a help desk.",
        "returned",
        ["programmatic"],
        ["science-technology-and-digital-cooperation"],
        actions=["III.1"],
        goals=[17],
        targets=["17.17"],
        scope="global",
        starts_on=dt.date(2024, 6, 1),
        years=1,
        endorsement="programme",
        reason="Say how many data sets, courses and organisations, and by when.",
        submitted_at=dt.datetime(2024, 4, 5, 12, 0, tzinfo=UTC),
    ),
    # ECOSOC Partnership Forum 2025 ----------------------------------------------------------
    CommitmentSpec(
        "ecosoc",
        "ocean-guardians",
        "Community-managed marine protected areas in 30 Samoan villages",
        "Ocean Guardians of the Pacific and the Marine Futures Institute will support 30 "
        "villages of Samoa to establish and manage community marine protected areas covering "
        "12,000 hectares of reef and lagoon, with women and youth on every village fisheries "
        "committee, and monitor fish biomass and coral cover twice a year with open data "
        "published for every site.",
        "confirmed",
        ["programmatic"],
        ["sdg-14-life-below-water"],
        actions=["SDG14.1", "SDG14.4"],
        goals=[14],
        targets=["14.2", "14.5"],
        countries=["WS"],
        years=4,
        endorsement="executive",
        co_makers=[("marine-futures", True)],
    ),
    CommitmentSpec(
        "ecosoc",
        "tidewater",
        "Traceable, IUU-free tuna from small-scale fishers by 2029",
        "Tidewater Seafoods will trace every tuna it buys from 1,200 small-scale fishers in "
        "Mindanao from boat to export with electronic catch documentation, pay a 10% premium "
        "for verified catch, and publish an annual third-party audit of its supply chain to "
        "end illegal, unreported and unregulated fishing.",
        "confirmed",
        ["programmatic", "financial"],
        ["sdg-14-life-below-water"],
        actions=["SDG14.3"],
        goals=[14],
        targets=["14.4"],
        countries=["PH"],
        years=3,
        amount="45000000",
        currency="PHP",
        funds_are_new=True,
        endorsement="executive",
    ),
    CommitmentSpec(
        "ecosoc",
        "andean-health",
        "Regional pandemic preparedness partnership for the Andes",
        "The Andean Health Alliance will link the genomic surveillance laboratories of 5 "
        "countries, pool procurement of diagnostics and train 1,500 community health workers "
        "in outbreak response, with a joint simulation exercise every year.",
        "in_review",
        ["programmatic"],
        ["sdg-3-health"],
        actions=["SDG3.1", "SDG3.2"],
        goals=[3],
        targets=["3.d", "3.8"],
        scope="regional",
        regions=["419"],
        years=3,
        endorsement="minister",
    ),
    CommitmentSpec(
        "ecosoc",
        "gender-finance-facility",
        "USD 50 million blended finance window for women-led enterprises",
        "The Pan-African Gender Finance Facility will open a USD 50 million blended finance "
        "window that pairs first-loss capital from philanthropy with commercial loans to "
        "women-led small and medium enterprises in 10 African countries, using a standard "
        "risk-sharing template that partners can reuse.",
        "submitted",
        ["financial", "programmatic"],
        ["sdg-17-partnerships", "sdg-5-gender-equality"],
        actions=["SDG17.1", "SDG17.2"],
        goals=[5, 17],
        targets=["5.a", "17.3"],
        scope="regional",
        regions=["002"],
        years=5,
        amount="50000000",
        currency="USD",
        funds_are_new=True,
        endorsement="executive",
        condition="Subject to approval by the Facility's board in its next meeting.",
    ),
    CommitmentSpec(
        "ecosoc",
        "codeher",
        "Decent digital jobs for 5,000 young women in Ghana",
        "CodeHer Africa Youth will train 5,000 young women in Ghana in software development and "
        "place them in paid internships and formal jobs with partner employers.",
        "draft",
        ["programmatic"],
        ["sdg-8-decent-work"],
        actions=["SDG8.2"],
        goals=[8],
        targets=["8.5"],
        countries=["GH"],
        years=2,
        endorsement="executive",
    ),
]
