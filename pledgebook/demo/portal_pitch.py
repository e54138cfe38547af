"""The pitch pipeline in the demo (``portal.pitch``): the ECOSOC Partnership Forum 2025's
"Scale-up Tank" (the forum's pitch session), its open call, three scale-up plans of the
programme's partnerships with evidence from their submitted 2024 progress reports (a reporting
cycle of the programme made here for it), one of them found and invited by the secretariat,
three investors (a foundation, a development bank, a private company: investor@), their
interest, and the outcomes: one funded, one in due diligence, one declined with its reason,
one meeting.

Plans, profiles, the call, invitations, the shortlist, the schedule, interest and outcomes go
through ``portal.pitch.domain`` (permissions, content rules, audit); the reporting cycle, its
indicators, rates and reports, which the pitch only reads, are written to the models.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pledgebook.coalitions.models import Coalition
from pledgebook.commitments.models import Commitment
from pledgebook.core.models import AuditEntry
from pledgebook.demo.loaded import Loaded
from pledgebook.forum.models import Session
from pledgebook.portal.models.pitch import (
    InvestorInterest,
    InvestorProfile,
    PitchOutcome,
    ScaleUpPlan,
)
from pledgebook.portal.pitch import domain
from pledgebook.reference.models import Country, Currency, Goal, Region
from pledgebook.reporting.models import (
    ExchangeRate,
    Indicator,
    IndicatorValue,
    ProgressReport,
    ReportingCycle,
)

UTC = dt.UTC
PROGRAMME = "ecosoc"
SAMOA = "Community-managed marine protected areas in 30 Samoan villages"
TUNA = "Traceable, IUU-free tuna from small-scale fishers by 2029"
COALITION = "Ocean action with small island states"


def _at(y: int, m: int, d: int, h: int = 12) -> dt.datetime:
    return dt.datetime(y, m, d, h, 0, tzinfo=UTC)


class PitchLoader:
    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.programme = loaded.programmes[PROGRAMME]
        self.secretariat = loaded.users["secretariat"]
        self.usd = Currency.objects.get(code="USD")

    def load(self) -> None:
        reports = self.load_reports()
        self.load_call()
        samoa = Commitment.objects.get(programme=self.programme, title=SAMOA)
        tuna = Commitment.objects.get(programme=self.programme, title=TUNA)
        coalition = Coalition.objects.get(programme=self.programme, name=COALITION)
        guardians = self.loaded.people[self.key_of(samoa.organisation)]
        tidewater = self.loaded.people[self.key_of(tuna.organisation)]
        # Found by the secretariat in the coalitions of the programme, and invited.
        invitation = domain.invite(
            actor=self.secretariat,
            programme=self.programme,
            partnership=coalition,
            message=(
                "Your coalition's work with small island States came up in our review of the "
                "SDG 14 segment: we would like you to pitch it in the Scale-up Tank."
            ),
        )
        domain.answer_invitation(actor=guardians, invitation=invitation, accept=True)
        plans = {
            "samoa": self.plan(
                guardians,
                samoa,
                title="From 12 to 30 village marine protected areas in Samoa",
                text=(
                    "Twelve villages manage their reefs and lagoons today, with women and youth "
                    "on every fisheries committee. The plan takes the model to all 30 villages "
                    "by 2028: boats and monitoring kits, a village ranger stipend for three "
                    "years, and a small-grants window for women's reef-friendly businesses."
                ),
                amount="1200000",
                currency="USD",
                instruments=["grant", "blended"],
                stage="scale_up",
                countries=["WS"],
                regions=[],
                goals=[14, 5],
                evidence=reports["samoa"],
                submitted=_at(2024, 12, 2),
            ),
            "tuna": self.plan(
                tidewater,
                tuna,
                title="Electronic catch documentation for every Mindanao tuna fisher",
                text=(
                    "640 of 1,200 fishers trace their catch from boat to export today. A loan "
                    "with a partial guarantee pays for the tablets, the landing-site scales and "
                    "the premium for verified catch while the export contracts that repay it "
                    "grow."
                ),
                amount="60000000",
                currency="PHP",
                instruments=["loan", "guarantee"],
                stage="early_growth",
                countries=["PH"],
                regions=[],
                goals=[14, 8],
                evidence=reports["tuna"],
                submitted=_at(2024, 12, 16),
            ),
            "coalition": self.plan(
                guardians,
                coalition,
                title="A blended reef resilience facility for small island States",
                text=(
                    "The coalition's members will pool first-loss grants and commercial loans "
                    "to replicate community-managed marine areas in Fiji, Samoa, Cabo Verde and "
                    "Mauritius, with one monitoring protocol and open data for every site."
                ),
                amount="3000000",
                currency="USD",
                instruments=["blended", "guarantee"],
                stage="replication",
                countries=["FJ", "WS", "CV", "MU"],
                regions=[],
                goals=[14, 13, 17],
                evidence=reports["samoa"],
                submitted=_at(2025, 1, 20),
            ),
        }
        for plan in plans.values():
            domain.shortlist_plan(actor=self.secretariat, plan=plan)
            domain.schedule_plan(actor=self.secretariat, plan=plan)
        investors = self.load_investors()
        self.load_outcomes(plans, investors)

    def key_of(self, organisation: Any) -> str:
        return next(k for k, o in self.loaded.orgs.items() if o.pk == organisation.pk)

    # Evidence: the programme's 2024 progress reports ------------------------------------------

    def load_reports(self) -> dict[str, list[Any]]:
        cycle = ReportingCycle.objects.create(
            programme=self.programme,
            name="2024 progress report",
            opens_at=_at(2024, 10, 1),
            deadline=_at(2024, 11, 15),
            closes_at=_at(2024, 11, 30),
            status=ReportingCycle.Status.CLOSED,
            opened_at=_at(2024, 10, 1),
            closed_at=_at(2024, 11, 30),
        )
        ExchangeRate.objects.create(
            cycle=cycle,
            currency_id="PHP",
            reporting_currency=self.usd,
            rate=Decimal("58.37"),
            effective_on=dt.date(2024, 11, 1),
            source="UN operational rates of exchange, November 2024",
        )
        indicators = {
            code: Indicator.objects.create(
                programme=self.programme, code=code, name=name, unit=unit, position=i
            )
            for i, (code, name, unit) in enumerate(
                [
                    ("area-protected", "Marine area under community management", "ha"),
                    ("villages", "Villages managing a marine protected area", ""),
                    ("fishers-traced", "Fishers tracing their catch", ""),
                    ("women-committees", "Women on village fisheries committees", ""),
                ]
            )
        }
        samoa = Commitment.objects.get(programme=self.programme, title=SAMOA)
        tuna = Commitment.objects.get(programme=self.programme, title=TUNA)

        def report(
            commitment: Commitment, values: dict[str, str], paid: str, currency: str
        ) -> list[Any]:
            row = ProgressReport.objects.create(
                commitment=commitment,
                cycle=cycle,
                status=ProgressReport.Status.SUBMITTED,
                implementation_status="on_track",
                narrative="Progress as planned for the first year.",
                disbursed_amount=Decimal(paid),
                disbursed_currency_id=currency,
                submitted_at=_at(2024, 11, 10),
            )
            made = [
                IndicatorValue.objects.create(
                    report=row, indicator=indicators[code], value=Decimal(value)
                )
                for code, value in values.items()
            ]
            return [*made, row]

        return {
            "samoa": report(
                samoa,
                {"area-protected": "4800", "villages": "12", "women-committees": "86"},
                "310000",
                "USD",
            ),
            "tuna": report(tuna, {"fishers-traced": "640"}, "9500000", "PHP"),
        }

    def load_call(self) -> None:
        session = Session.objects.get(event__programme=self.programme, kind=Session.Kind.PITCH)
        domain.save_call(
            actor=self.secretariat,
            programme=self.programme,
            title="Scale-up Tank 2025: call for partnerships ready to scale",
            description=(
                "Partnerships that succeeded at national or regional level and are ready to "
                "scale apply with a scale-up plan and the results of their progress reports. "
                "The secretariat shortlists them and invites others it finds itself."
            ),
            opens_at=_at(2024, 11, 1),
            closes_at=_at(2025, 1, 10),
            session=session,
        )

    def plan(
        self,
        actor: Any,
        partnership: Any,
        *,
        title: str,
        text: str,
        amount: str,
        currency: str,
        instruments: list[str],
        stage: str,
        countries: list[str],
        regions: list[str],
        goals: list[int],
        evidence: list[Any],
        submitted: dt.datetime,
    ) -> ScaleUpPlan:
        plan = domain.save_plan(
            actor=actor,
            partnership=partnership,
            title=title,
            text=text,
            amount=Decimal(amount),
            currency=Currency.objects.get(code=currency),
            instruments=instruments,
            stage=stage,
            countries=list(Country.objects.filter(iso2__in=countries)),
            regions=list(Region.objects.filter(m49__in=regions)),
            goals=list(Goal.objects.filter(number__in=goals)),
            values=[e for e in evidence if isinstance(e, IndicatorValue)],
            reports=[e for e in evidence if isinstance(e, ProgressReport)],
        )
        return domain.submit_plan(actor=actor, plan=plan, now=submitted)

    # Investors, interest, outcomes ------------------------------------------------------------

    def profile(self, key: str, **values: Any) -> InvestorProfile:
        organisation = self.loaded.orgs[key]
        return domain.save_profile(
            actor=self.loaded.people[key],
            organisation=organisation,
            summary=values.pop("summary"),
            currency=self.usd,
            ticket_min=Decimal(values.pop("ticket_min")),
            ticket_max=Decimal(values.pop("ticket_max")),
            countries=list(Country.objects.filter(iso2__in=values.pop("countries", []))),
            regions=list(Region.objects.filter(m49__in=values.pop("regions", []))),
            goals=list(Goal.objects.filter(number__in=values.pop("goals"))),
            **values,
        )

    def load_investors(self) -> dict[str, InvestorProfile]:
        return {
            "solstice": self.profile(
                "solstice",
                kind="foundation",
                summary="Grants and first-loss capital where women lead, anywhere.",
                ticket_min="250000",
                ticket_max="2000000",
                instruments=["grant", "blended"],
                stages=["pilot", "scale_up"],
                goals=[5, 13, 14],
            ),
            "pagff": self.profile(
                "gender-finance-facility",
                kind="development_bank",
                summary="Loans and guarantees for women-led enterprises in Africa.",
                ticket_min="500000",
                ticket_max="10000000",
                instruments=["loan", "guarantee", "blended"],
                stages=["early_growth", "scale_up", "replication"],
                regions=["002"],
                goals=[5, 8, 17],
            ),
            "bridge": self.profile(
                "bridge-partners",
                kind="private_company",
                summary="Loans, equity and blended finance for partnerships past the pilot.",
                ticket_min="1000000",
                ticket_max="15000000",
                instruments=["loan", "equity", "blended"],
                stages=["early_growth", "scale_up", "replication"],
                regions=["035", "009"],
                goals=[8, 9, 14, 17],
            ),
        }

    def load_outcomes(self, plans: dict[str, ScaleUpPlan], investors: dict[str, Any]) -> None:
        people = {
            "solstice": self.loaded.people["solstice"],
            "pagff": self.loaded.people["gender-finance-facility"],
            "bridge": self.loaded.people["bridge-partners"],
        }
        for investor, plan, note in [
            ("solstice", "samoa", "Women on every committee: exactly what our ocean window funds."),
            ("bridge", "tuna", "Export contracts look bankable; we would lend with a guarantee."),
            ("bridge", "coalition", "Interested in the blended facility's senior tranche."),
            ("pagff", "coalition", "Cabo Verde and Mauritius are in our region."),
        ]:
            domain.record_interest(
                actor=people[investor], investor=investors[investor], plan=plans[plan], note=note
            )
        domain.record_outcome(
            actor=people["solstice"],
            plan=plans["samoa"],
            investor=investors["solstice"],
            status="funded",
            amount=Decimal("750000"),
            currency=self.usd,
            instrument="grant",
        )
        domain.record_outcome(
            actor=self.secretariat,
            plan=plans["tuna"],
            investor=investors["bridge"],
            status="met",
        )
        domain.record_outcome(
            actor=people["bridge"],
            plan=plans["tuna"],
            investor=investors["bridge"],
            status="due_diligence",
        )
        domain.record_outcome(
            actor=people["pagff"],
            plan=plans["coalition"],
            investor=investors["pagff"],
            status="declined",
            reason=(
                "Our window lends to women-led enterprises; the facility's first tranche goes "
                "to public marine agencies. We would look again at an enterprise component."
            ),
        )
        domain.record_outcome(
            actor=self.secretariat,
            plan=plans["coalition"],
            investor=investors["bridge"],
            status="met",
        )


def load(loaded: Loaded) -> None:
    PitchLoader(loaded).load()


def counts(programmes: list[Any]) -> dict[str, int]:
    plans = ScaleUpPlan.objects.filter(programme__in=programmes)
    outcomes = PitchOutcome.objects.filter(plan__in=plans)
    return {
        "scale-up plans": plans.count(),
        "investor profiles": InvestorProfile.objects.count(),
        "investor interest": InvestorInterest.objects.filter(plan__in=plans).count(),
        "pitch outcomes": outcomes.count(),
    }


def forget(organisations: Any) -> None:
    """Before the demo is deleted (``load_demo --reset``): the audit entries of its investor
    profiles (an organisation's, with no programme, so the deletion of the programmes leaves
    them)."""
    profiles = InvestorProfile.objects.filter(organisation__in=organisations)
    AuditEntry.objects.filter(
        object_type=InvestorProfile._meta.label_lower,
        object_id__in=list(profiles.values_list("pk", flat=True)),
    ).delete()
