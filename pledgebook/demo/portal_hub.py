"""The knowledge hub in the demo: case studies of replicable models from the seeds' themes
(seed 002: "knowledge-sharing platforms to disseminate best practices, replicable models, and
lessons learned"; blended finance; youth representation; South-South collaboration), each
written by the organisation of a demo commitment and linked to it and, where the demo reported
them, to the indicator values of its latest submitted progress report.

Made through ``portal.hub.domain`` (saved, submitted, published by the secretariat), so the
states, the audit log and the indexing are the real ones: the loader runs with the immediate
task backend, so publishing embeds each text at once (vectors for the search by meaning).
Five are published; Senegal's waits for the secretariat's review."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import CommandError
from django.db.models import QuerySet

from pledgebook.commitments.models import Commitment
from pledgebook.demo.loaded import Loaded
from pledgebook.portal.hub import domain
from pledgebook.portal.hub.indexing import KIND
from pledgebook.portal.hub.validation import reported_values
from pledgebook.portal.models import CaseStudy
from pledgebook.reference.models import Country, Goal, Region
from pledgebook.similarity import engine


@dataclass
class CaseSpec:
    org: str  # organisation key (the author)
    programme: str  # programme key
    commitment: str  # title of the commitment it links (of ``org``, lead or co-maker)
    values: list[str]  # indicator codes of its latest report to cite
    title: str
    summary: str
    problem: str
    approach: str
    results: str
    enabling_factors: str
    constraints: str
    replicability: str
    lessons: str
    goals: list[int]
    countries: list[str]
    categories: list[str]
    partners: list[str] = field(default_factory=list)  # organisation keys
    other_partners: str = ""
    regions: list[str] = field(default_factory=list)
    publish: bool = True


CASES = [
    CaseSpec(
        org="kestrel",
        programme="ge",
        commitment="Connect 200,000 women-owned micro-businesses to mobile money",
        values=["people-reached", "policies-adopted"],
        title="Mobile money and a credit history for women-owned micro-businesses",
        summary=(
            "A mobile network operator opened wallets, savings and small loans to women "
            "traders who had no bank account, using their mobile money history as a credit "
            "record: 41,000 women reached in the first year."
        ),
        problem=(
            "Women own a third of the micro-businesses in South Africa's townships but few "
            "have a bank account or a credit history, so they cannot borrow to buy stock; the "
            "gap in financial inclusion between women and men has stayed at around ten points "
            "for a decade."
        ),
        approach=(
            "Free wallets opened by agents in the markets where the traders work; a savings "
            "pocket with no fees; after six months of transactions, a small stock loan scored "
            "on the wallet's history instead of collateral; a women-led agent network trained "
            "with Young Feminists Rising; and a regulator-approved simplified identity check."
        ),
        results=(
            "41,000 women-owned businesses reached in the first year, one new rule adopted "
            "(the simplified identity check for wallets under a ceiling). Repayment of the "
            "first loans is above 95%."
        ),
        enabling_factors=(
            "A regulator open to a tiered identity check; agents who are themselves traders; "
            "no fee on savings."
        ),
        constraints=(
            "Smartphone ownership among older traders; loan sizes are still too small for "
            "wholesale purchases; the women-led agent network grew slower than planned."
        ),
        replicability=(
            "Any operator with a mobile money licence can repeat it: the scoring model and "
            "the agent training are documented and offered to other operators in the region. "
            "It depends on a regulator accepting tiered identity checks."
        ),
        lessons=(
            "Recruit agents among the traders themselves; start with savings, not loans; ask "
            "the regulator early."
        ),
        goals=[5, 8, 10],
        countries=["ZA"],
        categories=["private_sector", "youth_led", "women"],
        partners=["young-feminists", "gender-finance-facility"],
    ),
    CaseSpec(
        org="amani",
        programme="ge",
        commitment="Survivor-centred services in 12 Kenyan counties",
        values=["people-reached", "policies-adopted", "funds-leveraged"],
        title="One-stop centres for survivors of gender-based violence, run with the counties",
        summary=(
            "Health, police, legal and psychosocial help for survivors in one place, in county "
            "hospitals, staffed by the county and coached by a women's rights network: a "
            "model that counties take over within three years."
        ),
        problem=(
            "A survivor of gender-based violence in rural Kenya had to visit a clinic, a "
            "police station and a court office, often days apart, telling her story each "
            "time; most gave up before a case was filed."
        ),
        approach=(
            "A one-stop centre inside the county hospital; health workers, police officers and "
            "paralegals trained together in survivor-centred practice; a county budget line "
            "agreed before opening; a survivors' advisory group that reviews each centre "
            "every six months."
        ),
        results=(
            "Centres open in Kisumu, Nairobi, Mombasa and Garissa and more counties; survivors "
            "served and county policies adopted rose from one year to the next, as reported."
        ),
        enabling_factors=(
            "County governments that put the centres in their budgets; a national referral "
            "protocol; survivors involved from the start."
        ),
        constraints=(
            "Transfer of premises delayed by two county health departments; turnover of "
            "trained police officers."
        ),
        replicability=(
            "The counties own the centres from year three; the training curriculum and the "
            "budget template are public and used by two counties outside the commitment."
        ),
        lessons="Agree the county budget line before the first centre opens.",
        goals=[5, 16],
        countries=["KE"],
        categories=["women", "local_authority", "youth_led"],
        partners=["kisumu-gender", "young-feminists"],
    ),
    CaseSpec(
        org="costa-rica",
        programme="ge",
        commitment="National fund for women-led climate adaptation",
        values=[],
        title="Blended finance for women-led clean energy and climate adaptation",
        summary=(
            "A public first-loss guarantee lets local banks lend to women's cooperatives for "
            "solar pumps, clean cooking and climate-resilient farming: every colón of public "
            "money unlocks four of private credit."
        ),
        problem=(
            "Women's cooperatives in rural Costa Rica are judged too risky by banks, so "
            "clean-energy equipment and adaptation works stay out of reach though their "
            "returns are proven."
        ),
        approach=(
            "The national fund covers the first 20% of losses on loans to women-led "
            "cooperatives; two state banks and a private bank lend the rest at market rates; "
            "technical assistance prepares each loan; results are reported every year."
        ),
        results=(
            "The guarantee scheme was designed and the first loans prepared in the first "
            "year; the law creating the fund is before the Assembly."
        ),
        enabling_factors=(
            "A development bank willing to share risk; women's cooperatives with records of "
            "their savings; the World Bank's guarantee schemes as a standard model."
        ),
        constraints=(
            "The law creating the fund took longer than planned; banks ask for more data "
            "than cooperatives hold."
        ),
        replicability=(
            "A standard term sheet (guarantee share, eligibility, reporting) that other "
            "middle-income countries can adopt: the standardisation of blended finance that "
            "the Partnership Forum called for."
        ),
        lessons="Standardise the guarantee terms first; negotiate with the banks second.",
        goals=[5, 7, 13],
        countries=["CR"],
        categories=["member_state", "financial_institution", "women"],
        other_partners="Banco Nacional de Costa Rica\nNational Women's Institute (INAMU)",
    ),
    CaseSpec(
        org="youth-peacebuilders",
        programme="csc",
        commitment="ImPACT Coalition for youth seats in peace and governance",
        values=[],
        title="A youth-led network that won seats on local peace councils",
        summary=(
            "Young peacebuilders in Colombia organised a network of municipal youth "
            "platforms that now hold seats on local peace and governance councils, and share "
            "the method with youth groups across Latin America."
        ),
        problem=(
            "Young people were the majority of those affected by the conflict but had no "
            "seat where local peace agreements were implemented."
        ),
        approach=(
            "Municipal youth platforms elected their delegates; a training cycle on "
            "negotiation and public budgets; a pledge signed by mayors to open a seat; "
            "intergenerational dialogues with community elders."
        ),
        results="Youth delegates seated in municipal peace councils; the pledge signed by mayors.",
        enabling_factors="The peace agreement's provisions on participation; mayors' support.",
        constraints="Security of young leaders; travel costs for rural delegates.",
        replicability=(
            "The election method and the pledge text are open and were adapted by youth "
            "networks in two other countries of the region."
        ),
        lessons="Ask for a seat with a vote, not an invitation to speak.",
        goals=[16, 10],
        countries=["CO"],
        regions=["419"],
        categories=["youth_led", "local_authority"],
    ),
    CaseSpec(
        org="ocean-guardians",
        programme="ecosoc",
        commitment="Community-managed marine protected areas in 30 Samoan villages",
        values=[],
        title="Village to village: South-South exchange on community-managed marine areas",
        summary=(
            "Samoan villages that manage their own marine protected areas host fishers from "
            "Fiji and the Solomon Islands, who learn the method from their peers and take it "
            "home; scientists measure the fish before and after."
        ),
        problem=(
            "Reef fish stocks fall where no one controls fishing, and national agencies in "
            "small island states cannot patrol hundreds of villages."
        ),
        approach=(
            "Village councils set their own no-take zones and rules; exchange visits between "
            "villages of different islands; a simple underwater survey done by the villagers "
            "and checked by Marine Futures Institute."
        ),
        results=(
            "Thirty villages manage protected areas; fishers from neighbouring island states "
            "trained through exchange visits."
        ),
        enabling_factors=(
            "Customary tenure of the reefs; respected village councils; a science partner."
        ),
        constraints="The cost of inter-island travel; cyclone damage to reefs.",
        replicability=(
            "Peer exchange between villages of small island developing states: a South-South "
            "model that needs little money and no outside experts on site."
        ),
        lessons="Fishers believe fishers: let the villages teach each other.",
        goals=[14, 17],
        countries=["WS", "FJ", "SB"],
        categories=["civil_society", "science", "indigenous_peoples"],
        partners=["marine-futures", "fiji"],
    ),
    CaseSpec(
        org="senegal",
        programme="ge",
        commitment="A national care strategy with 2,000 community childcare centres",
        values=["people-reached", "policies-adopted"],
        title="Community childcare centres as the base of a national care economy",
        summary=(
            "Community childcare centres, run by local women's groups and paid by the "
            "municipalities and the State, free women's time for paid work."
        ),
        problem=(
            "Unpaid care keeps women out of paid work: mothers of young children in Senegal "
            "spend five hours a day on care."
        ),
        approach=(
            "A national care strategy; centres run by women's groups; a per-child subsidy "
            "shared by the State and the municipality; training of carers."
        ),
        results="Women reached and the care strategy adopted, as reported this year.",
        enabling_factors="Women's groups already organised in every municipality.",
        constraints="Municipal budgets; certification of carers.",
        replicability="The subsidy formula can be used by any country with municipal budgets.",
        lessons="Pay the carers: volunteer centres close within a year.",
        goals=[5, 8],
        countries=["SN"],
        categories=["member_state", "women", "local_authority"],
        publish=False,
    ),
]


def _values(commitment: Commitment, codes: list[str]) -> list[Any]:
    """The commitment's reported values for ``codes``, from its latest report (newest cycle)."""
    chosen = []
    values = reported_values([commitment.pk]).select_related("indicator", "report__cycle")
    for code in codes:
        value = values.filter(indicator__code=code).order_by("-report__cycle__deadline").first()
        if value is None:
            raise CommandError(f"The demo reported no {code} for {commitment.title!r}.")
        chosen.append(value)
    return chosen


def load(loaded: Loaded) -> None:
    secretariat = loaded.users["secretariat"]
    for spec in CASES:
        programme = loaded.programmes[spec.programme]
        organisation = loaded.orgs[spec.org]
        commitment = Commitment.objects.get(programme=programme, title=spec.commitment)
        case_study = domain.save_case_study(
            actor=loaded.people[spec.org],
            organisation=organisation,
            programme=programme,
            categories=spec.categories,
            title=spec.title,
            summary=spec.summary,
            problem=spec.problem,
            approach=spec.approach,
            results=spec.results,
            enabling_factors=spec.enabling_factors,
            constraints=spec.constraints,
            replicability=spec.replicability,
            lessons=spec.lessons,
            other_partners=spec.other_partners,
            partners=[loaded.orgs[key] for key in spec.partners],
            commitments=[commitment],
            indicator_values=_values(commitment, spec.values),
            goals=list(Goal.objects.filter(number__in=spec.goals)),
            countries=list(Country.objects.filter(iso2__in=spec.countries)),
            regions=list(Region.objects.filter(m49__in=spec.regions)),
        )
        domain.submit_case_study(actor=loaded.people[spec.org], case_study=case_study)
        if spec.publish:
            domain.publish_case_study(actor=secretariat, case_study=case_study)


def forget_vectors(programmes: QuerySet[Any]) -> None:
    """Remove the vectors of the demo's case studies (kept by kind and id)."""
    for pk in CaseStudy.objects.filter(programme__in=programmes).values_list("pk", flat=True):
        engine.remove(KIND, pk)


def counts(programmes: list[Any]) -> dict[str, int]:
    rows = CaseStudy.objects.filter(programme__in=programmes)
    return {
        "case studies published": rows.filter(status=CaseStudy.Status.PUBLISHED).count(),
        "case studies submitted": rows.filter(status=CaseStudy.Status.SUBMITTED).count(),
    }
