"""The assessment reads what a commitment says and carries: each criterion met and not met, in
two or more languages, and the endorsement ladder for each kind of organisation.  The
commitments are unsaved snapshots (``CommitmentData``): the rules read no database."""

import datetime as dt
from decimal import Decimal

import pytest

from pledgebook.commitments.assessment import assess, ladder_for
from pledgebook.commitments.validation import CommitmentData
from pledgebook.organisations.models import Category, Organisation
from pledgebook.reference.models import Currency


def data(category: str = Category.CIVIL_SOCIETY, **fields) -> CommitmentData:
    fields.setdefault("title", "A commitment")
    return CommitmentData(
        programme=None,  # type: ignore[arg-type]  # the assessment never reads it
        organisation=Organisation(name="Maker", category=category),
        **fields,
    )


def judged(key: str, **fields):
    return {c.key: c for c in assess(data(**fields)).criteria}[key]


# Potential for impact ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("description", "quoted"),
    [
        ("We will train 3,000 women farmers in climate-smart agriculture.", "“3,000 women”"),
        ("Nous planterons 200 hectares de mangroves dans l'estuaire.", "“200 hectares”"),
        ("Capacitaremos a 800 pescadores artesanales de Manabí.", "“800 pescadores”"),
        ("Vamos reduzir em 40% os resíduos plásticos nas praias.", "“40%”"),
    ],
)
def test_impact_is_met_by_a_reach_and_a_place(description, quoted):
    impact = judged("impact", description=description, countries=["Kenya"])
    assert (impact.met, impact.reason, impact.advice) == (
        True,
        f"Reach: {quoted}; where: Kenya.",
        (),
    )


def test_impact_finds_the_place_in_the_text_when_no_country_is_given():
    impact = judged("impact", description="We will restore 12 hectares of reef in Belize.")
    assert (impact.met, impact.reason) == (True, "Reach: “12 hectares”; where: “in Belize”.")


@pytest.mark.parametrize(
    "description",
    [
        "We will raise awareness of healthy oceans among our customers.",
        "Nous sensibiliserons les communautés côtières à la protection des tortues.",
        # A number that is a year is not a reach; neither is a past result.
        "By 2030 we will support coastal communities.",
        "In the past years we removed over 2,5 tons of nets from wrecks.",
    ],
)
def test_impact_is_not_met_without_a_reach_it_aims_for(description):
    impact = judged("impact", description=description, countries=["Kenya"])
    assert (impact.met, impact.reason) == (
        False,
        "No reach (how many people, places or how much area) is stated.",
    )
    assert impact.advice[0].startswith("Say whom the change reaches and how many")


def test_impact_without_a_place_asks_where():
    impact = judged("impact", description="we will train 500 teachers.", scope="national")
    assert (impact.met, impact.reason, impact.advice) == (
        False,
        "“500 teachers” is stated, but not where.",
        ("Say where the commitment applies: countries, regions or global.",),
    )


# Funding -----------------------------------------------------------------------------------


def test_an_amount_with_its_currency_meets_funding():
    funding = judged("funding", amount=Decimal("2000000"), currency=Currency(code="USD"))
    assert (funding.met, funding.reason) == (True, "2,000,000 USD.")


def test_new_funds_are_said_so():
    funding = judged(
        "funding", amount=Decimal("500000"), currency=Currency(code="EUR"), funds_are_new=True
    )
    assert (funding.met, funding.reason) == (
        True,
        "500,000 EUR, new or scaled funds (stated new).",
    )


@pytest.mark.parametrize(
    ("description", "quoted"),
    [
        (
            "con un presupuesto de 1,2 millones de dólares del presupuesto nacional",
            "“1,2 millones de dólares”",
        ),
        (
            "avec un budget de 150 millions de francs CFA inscrit au budget communal",
            "“150 millions de francs CFA”",
        ),
        ("with a budget of USD 250,000 from our partners", "“USD 250,000”"),
        ("com um orçamento de 120 mil euros", "“120 mil euros”"),
    ],
)
def test_an_amount_in_the_text_meets_funding(description, quoted):
    funding = judged("funding", description=description)
    assert (funding.met, funding.reason) == (True, f"{quoted}.")


def test_funds_stated_not_new_do_not_meet_funding():
    funding = judged(
        "funding", amount=Decimal("450000"), currency=Currency(code="USD"), funds_are_new=False
    )
    assert (funding.met, funding.reason, funding.advice) == (
        False,
        "450,000 USD, but the funds are stated not to be new.",
        ("Strong commitments bring new or scaled-up funds: say what is new in yours.",),
    )


def test_existing_funds_in_the_text_do_not_meet_funding():
    funding = judged(
        "funding",
        description="Funded from our existing core budget.",
        amount=Decimal("450000"),
        currency=Currency(code="USD"),
    )
    assert (funding.met, funding.reason) == (
        False,
        "450,000 USD, but “existing core budget”.",
    )


def test_no_amount_does_not_meet_funding():
    funding = judged("funding", description="Nous mobiliserons des ressources en nature.")
    assert (funding.met, funding.reason) == (False, "No amount is stated.")


# Endorsement: the ladder of each kind of organisation --------------------------------------


@pytest.mark.parametrize(
    ("category", "met_levels", "unmet_levels", "who"),
    [
        (
            Category.MEMBER_STATE,
            ["head_of_state", "minister"],
            ["executive", "senior", "programme"],
            "the Head of State or Government, or a minister",
        ),
        (
            Category.GOVERNMENT,
            ["head_of_state", "minister"],
            ["executive", "senior", "programme"],
            "the Head of State or Government, or a minister",
        ),
        (
            Category.LOCAL_AUTHORITY,
            ["head_of_state", "minister", "executive"],
            ["senior", "programme"],
            "the mayor or governor (head of the authority), or its council",
        ),
        (
            Category.PRIVATE_SECTOR,
            ["head_of_state", "minister", "executive"],
            ["senior", "programme"],
            "the chief executive or the board",
        ),
        (
            Category.UN_SYSTEM,
            ["head_of_state", "minister", "executive"],
            ["senior", "programme"],
            "the head of the entity or its governing body",
        ),
        (
            Category.CIVIL_SOCIETY,
            ["head_of_state", "minister", "executive"],
            ["senior", "programme"],
            "the director or the board",
        ),
        (
            Category.ACADEMIA,
            ["head_of_state", "minister", "executive"],
            ["senior", "programme"],
            "the director or the board",
        ),
        (
            Category.PHILANTHROPY,
            ["head_of_state", "minister", "executive"],
            ["senior", "programme"],
            "the director or the board",
        ),
        (
            Category.YOUTH_LED,
            ["head_of_state", "minister", "executive"],
            ["senior", "programme"],
            "the director or the board",
        ),
    ],
)
def test_the_endorsement_ladder_fits_each_kind_of_organisation(
    category, met_levels, unmet_levels, who
):
    assert ladder_for(category)[1] == who
    for level in met_levels:
        assert judged("endorsement", category=category, endorsement_level=level).met, level
    for level in unmet_levels:
        endorsement = judged("endorsement", category=category, endorsement_level=level)
        assert (endorsement.met, endorsement.advice) == (
            False,
            (f"Seek endorsement at the highest level: {who}.",),
        ), level


def test_a_board_is_below_the_top_for_a_ministry_and_the_top_for_a_company():
    ministry = judged("endorsement", category=Category.GOVERNMENT, endorsement_level="executive")
    company = judged("endorsement", category=Category.PRIVATE_SECTOR, endorsement_level="executive")
    assert (ministry.met, ministry.reason) == (
        False,
        "Executive leadership or board is below the top of the ladder for this organisation.",
    )
    assert (company.met, company.reason) == (
        True,
        "Endorsed by Executive leadership or board, the top of the ladder for this organisation.",
    )


@pytest.mark.parametrize(
    ("category", "description", "quoted"),
    [
        (
            Category.LOCAL_AUTHORITY,
            "Engagement endossé par le maire de Saint-Louis.",
            "“endossé par le maire”",
        ),
        (
            Category.LOCAL_AUTHORITY,
            "Compromiso firmado por la alcaldesa.",
            "“firmado por la alcaldesa”",
        ),
        (
            Category.GOVERNMENT,
            "Anunciado pelo Primeiro-Ministro: Cabo Verde vai…",
            "“Anunciado pelo Primeiro-Ministro”",
        ),
        (
            Category.GOVERNMENT,
            "The Minister of Fisheries endorsed this commitment.",
            "“Minister of Fisheries endorsed”",
        ),
        (
            Category.CIVIL_SOCIETY,
            "Compromiso aprobado por la Junta Directiva.",
            "“aprobado por la Junta Directiva”",
        ),
    ],
)
def test_an_endorsement_stated_in_the_text_meets_it(category, description, quoted):
    endorsement = judged("endorsement", category=category, description=description)
    assert (endorsement.met, endorsement.reason) == (True, f"The commitment says {quoted}.")


def test_a_board_in_the_text_does_not_lift_a_ministry():
    endorsement = judged(
        "endorsement", category=Category.GOVERNMENT, description="Approved by the board."
    )
    assert (endorsement.met, endorsement.reason) == (False, "No level of endorsement is stated.")


# Collective nature -------------------------------------------------------------------------


def test_named_partners_make_it_collective_but_not_the_maker_itself():
    met = judged("collective", partners=["WWF (NGO)", "Rare"])
    alone = judged("collective", partners=["Maker (NGO)"])
    assert (met.met, met.reason) == (True, "Partners named: WWF; Rare.")
    assert (alone.met, alone.reason) == (
        False,
        "No co-maker has confirmed and no partner is named.",
    )


@pytest.mark.parametrize(
    ("description", "quoted"),
    [
        (
            "Delivered in partnership with the Ghana Fisheries Commission.",
            "“in partnership with the Ghana Fisheries Commission”",
        ),
        (
            "O programa é executado em parceria com a Universidade Federal.",
            "“em parceria com a Universidade Federal”",
        ),
        (
            "Nous agirons en partenariat avec la mairie de Grand-Popo.",
            "“en partenariat avec la mairie de Grand-Popo”",
        ),
    ],
)
def test_partners_named_in_the_text_make_it_collective(description, quoted):
    collective = judged("collective", description=description)
    assert (collective.met, collective.reason) == (True, f"The commitment says {quoted}.")


def test_a_lone_maker_is_not_collective():
    collective = judged("collective", description="Nous agirons seuls sur nos plages.")
    assert (collective.met, collective.advice) == (
        False,
        ("Design it with other stakeholders: invite co-makers from your coalition.",),
    )


# SMART -------------------------------------------------------------------------------------


def test_a_target_and_an_end_date_are_smart():
    smart = judged(
        "smart", description="We will train 150 graduate students.", ends_on=dt.date(2028, 12, 31)
    )
    assert (smart.met, smart.reason) == (
        True,
        "Target “150 graduate students”; it ends on 31 December 2028.",
    )


def test_a_dated_milestone_or_a_year_in_the_text_makes_it_time_bound():
    milestone = judged(
        "smart",
        description="Reduciremos en un 50% los desechos plásticos.",
        milestones=[(None, "Taller"), (dt.date(2027, 6, 30), "25% menos")],
    )
    in_text = judged("smart", description="Nous formerons 600 femmes d'ici 2028.")
    assert (milestone.met, milestone.reason) == (
        True,
        "Target “50%”; it has a milestone on 30 June 2027.",
    )
    assert (in_text.met, in_text.reason) == (True, "Target “600 femmes”; it says “d'ici 2028”.")


def test_a_target_without_a_date_is_not_smart():
    smart = judged("smart", description="Se reducirán en un 50% los desechos plásticos.")
    assert (smart.met, smart.reason, smart.advice) == (
        False,
        "“50%” is measurable, but no date says by when.",
        ("Make it time-bound: give an end date and say by when each result comes.",),
    )


def test_dated_deliverables_without_a_target_are_not_smart():
    smart = judged(
        "smart",
        description="Establishment of a regional monitoring network.",
        milestones=[(dt.date(2018, 4, 1), "Network established")],
    )
    assert (smart.met, smart.reason) == (
        False,
        "No measurable target (it has a milestone on 1 April 2018).",
    )


def test_accents_lost_by_a_registry_are_still_read():
    """Registry texts often lost their accented letters: “3 reas Marinas Protegidas”."""
    smart = judged(
        "smart",
        description="Al ao 2020, al menos 3 reas Marinas Protegidas cuentan con instrumentos.",
        ends_on=dt.date(2020, 12, 1),
    )
    assert (smart.met, smart.reason) == (
        True,
        "Target “3 reas Marinas Protegidas”; it ends on 1 December 2020.",
    )
