"""Coalitions in the demo: the ImPACT coalitions of the UN Civil Society Conference 2024 (seed
000: expressions of interest due by 8 April 2024, on the chapters of the Pact for the Future),
and the ECOSOC Partnership Forum, a second programme sharing the coalition network.

Everything goes through ``coalitions.domain`` and ``coalitions.merge``, so the states, the
provenance of every principle, ask, member and milestone, the merge history and the audit log
are the real ones.  Texts are short: each change embeds a text inline (about 50 ms).

==============================================  =========  ====================================
expression of interest                          proposer   ends as
==============================================  =========  ====================================
Youth seats at the table of global governance   ypn        merged (with the next) into the
Meaningful youth participation in UN decisions  yfr        youth coalition: active; it also
                                                           absorbs the ECOSOC youth coalition
A Feminist Pact: women's rights organisations   amani      accepted: a coalition, active
in the follow-up of the Pact for the Future     (leader@)
A joint civil society statement to the Summit   shelter    accepted: coalition closed after
                                                           the Summit
Debt justice and a fair financial architecture  pagff      in review
Open data for the SDGs, made with civil society gdc        submitted
Interfaith early warning for peace              interfaith late (after 8 April): accepted,
                                                           coalition under consideration
Community radio for digital inclusion           radio      draft
A voluntary code for the fashion industry       meridian   declined
Parliamentarians for future generations         caucus     withdrawn
(ECOSOC) Ocean action with small island states  ocean      accepted: coalition accepted
(ECOSOC) Youth voice in the SDG Action Segments codeher    accepted, then merged into the
                                                           youth coalition (across programmes)
==============================================  =========  ====================================

No coalition is left *proposed*: no domain function creates one in that state (accepting an
EOI makes it accepted or under consideration, a merge under consideration, an import active).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pledgebook.coalitions import domain as coalitions
from pledgebook.coalitions import merge
from pledgebook.coalitions.models import (
    Coalition,
    CoalitionSettings,
    ExpressionOfInterest,
    Membership,
    MergeRecord,
    Milestone,
)
from pledgebook.coalitions.validation import MemberInput, MilestoneInput
from pledgebook.demo.loaded import Loaded
from pledgebook.reference.models import Country, Goal

UTC = dt.UTC
CSC_EOI_DEADLINE = dt.datetime(2024, 4, 8, 23, 59, tzinfo=UTC)
MilestoneStatus = Milestone.Status


def at(month: int, day: int, year: int = 2024) -> dt.datetime:
    return dt.datetime(year, month, day, 10, 0, tzinfo=UTC)


@dataclass
class Invitee:
    """A member to invite: an organisation of the demo (``org``), or one not on the platform
    (``email``, ``name``, ``category``, ``country``); ``answer``: accept, decline or None."""

    org: str = ""
    email: str = ""
    name: str = ""
    category: str = ""
    country: str = ""
    answer: str | None = "accept"


@dataclass
class EOISpec:
    key: str
    programme: str
    org: str
    title: str
    summary: str
    themes: list[str]
    goals: list[int]
    principles: list[str]
    asks: list[str]
    milestones: list[tuple[str, dt.date]]
    outcome: str  # draft, submitted, in_review, accepted, declined, withdrawn, merged
    submitted_at: dt.datetime | None = None
    members: list[Invitee] = field(default_factory=list)
    reason: str = ""


YOUTH_ASK = "A youth seat in every national delegation to the UN General Assembly."

EOIS = [
    EOISpec(
        "youth-seats",
        "csc",
        "youth-peacebuilders",
        "Youth seats at the table of global governance",
        "Youth-led organisations push for young people's meaningful participation in "
        "global governance, as the Pact for the Future promises.",
        ["youth-and-future-generations", "transforming-global-governance"],
        [16],
        ["Nothing about young people without young people.", "Youth-led, not youth-washed."],
        [YOUTH_ASK, "A UN Youth Office funded from the regular budget."],
        [("Joint youth statement to the Summit", dt.date(2024, 9, 15))],
        "merged",
        at(3, 20),
        members=[Invitee("codeher"), Invitee("voices-radio", answer=None)],
    ),
    EOISpec(
        "youth-participation",
        "csc",
        "young-feminists",
        "Meaningful youth participation in UN decision-making",
        "Young feminists ask for seats, funding and accountability for youth participation "
        "in the United Nations and in national decision-making.",
        ["youth-and-future-generations"],
        [5, 16],
        ["Nothing about young people without young people.", "Young women lead."],
        [YOUTH_ASK, "Funding for youth-led organisations in every UN country team."],
        [
            ("Joint youth statement to the Summit", dt.date(2024, 9, 15)),
            ("Youth participation scorecard of 20 countries", dt.date(2025, 9, 30)),
        ],
        "merged",
        at(4, 2),
        members=[
            Invitee("codeher"),
            Invitee(
                email="hello@youthclimate.example.org",
                name="Pacific Youth Climate Network",
                category="youth_led",
                country="FJ",
                answer=None,
            ),
        ],
    ),
    EOISpec(
        "feminist-pact",
        "csc",
        "amani",
        "A Feminist Pact: women's rights organisations in the follow-up of the Pact",
        "Feminist and women's rights organisations follow up the Pact for the Future and "
        "hold governments to its gender equality commitments.",
        ["transforming-global-governance", "sustainable-development-and-financing"],
        [5, 16],
        ["Gender equality in every action of the Pact.", "Feminist movements are funded."],
        [
            "A gender marker for every action of the Pact's follow-up.",
            "Women's rights organisations at the table of the 2028 review.",
        ],
        [
            ("Launch at the Civil Society Conference", dt.date(2024, 5, 10)),
            ("Shadow report on the Pact's gender commitments", dt.date(2025, 9, 1)),
            ("Regional dialogues in Africa, Asia and Latin America", dt.date(2026, 6, 30)),
        ],
        "accepted",
        at(4, 5),
        members=[
            Invitee("red-mujeres"),
            Invitee("solstice"),
            Invitee("costa-rica"),
            Invitee("sisters-climate", answer="decline"),
            Invitee(
                email="contact@pacificwomen.example.org",
                name="Pacific Women's Forum",
                category="women",
                country="WS",
                answer=None,
            ),
        ],
    ),
    EOISpec(
        "summit-statement",
        "csc",
        "shelter-dignity",
        "A joint civil society statement to the Summit of the Future",
        "One statement of civil society's priorities, delivered to the Summit of the Future.",
        ["international-peace-and-security"],
        [16, 17],
        ["Civil society speaks with one voice."],
        ["A civil society speaker in the Summit's opening session."],
        [("Statement delivered at the Summit", dt.date(2024, 9, 22))],
        "accepted",
        at(3, 28),
        members=[Invitee("interfaith")],
    ),
    EOISpec(
        "debt-justice",
        "csc",
        "gender-finance-facility",
        "Debt justice and a fair international financial architecture",
        "Debt relief, fair taxation and concessional finance so that countries can invest in "
        "the Sustainable Development Goals.",
        ["sustainable-development-and-financing"],
        [1, 10, 17],
        ["No country chooses between debt service and schools."],
        ["A UN framework convention on sovereign debt.", "Debt swaps for gender equality."],
        [("Policy brief for the Financing for Development conference", dt.date(2025, 6, 30))],
        "in_review",
        at(4, 7),
    ),
    EOISpec(
        "open-data",
        "csc",
        "gender-data-centre",
        "Open data for the SDGs, made with civil society",
        "Civil society organisations produce and use disaggregated data on the Goals, "
        "recognised in official statistics.",
        ["science-technology-and-digital-cooperation"],
        [17],
        ["Data about people is made with them."],
        ["Citizen-generated data recognised by national statistical offices."],
        [("Guide for citizen-generated data", dt.date(2025, 3, 31))],
        "submitted",
        at(4, 8),
    ),
    EOISpec(
        "interfaith-early-warning",
        "csc",
        "interfaith",
        "Interfaith early warning for peace",
        "Faith leaders and civil society watch for the first signs of violence and open "
        "dialogue before conflicts escalate.",
        ["international-peace-and-security"],
        [16],
        ["Prevention before response."],
        ["Faith and civil society actors in national early warning systems."],
        [("Pilot in Lebanon and Colombia", dt.date(2025, 12, 31))],
        "accepted",
        at(4, 20),  # after the deadline of 8 April: late, for co-creation
        members=[Invitee("youth-peacebuilders")],
    ),
    EOISpec(
        "community-radio",
        "csc",
        "voices-radio",
        "Community radio for digital inclusion",
        "Community radio stations bring the Global Digital Compact to people offline.",
        ["science-technology-and-digital-cooperation"],
        [9],
        ["Nobody offline is left behind."],
        [],
        [],
        "draft",
    ),
    EOISpec(
        "fashion-code",
        "csc",
        "meridian",
        "A voluntary code for the fashion industry",
        "Garment brands sign a voluntary code of conduct.",
        ["sustainable-development-and-financing"],
        [8],
        ["Business leads the way."],
        ["Brands sign the code."],
        [("Code published", dt.date(2024, 12, 31))],
        "declined",
        at(4, 3),
        reason=(
            "A coalition needs civil society partners and asks addressed to the Pact for the "
            "Future; a company's code of conduct is welcome as a commitment instead."
        ),
    ),
    EOISpec(
        "parliamentarians",
        "csc",
        "nepal-caucus",
        "Parliamentarians for future generations",
        "Parliaments appoint a committee for future generations.",
        ["youth-and-future-generations"],
        [16],
        ["Decisions today weigh on tomorrow's citizens."],
        ["A committee for future generations in every parliament."],
        [("Model law", dt.date(2025, 6, 30))],
        "withdrawn",
        at(3, 15),
        reason="We join the youth coalition instead.",
    ),
    EOISpec(
        "ocean-action",
        "ecosoc",
        "ocean-guardians",
        "Ocean action with small island states",
        "Island communities, scientists and fishers restore reefs and manage marine protected "
        "areas together.",
        ["sdg-14-life-below-water"],
        [14],
        ["Island communities decide about their sea."],
        ["Direct finance for community-managed marine areas."],
        [
            ("Reef restoration plan for Samoa", dt.date(2025, 6, 30)),
            ("Ten community marine areas mapped", dt.date(2026, 12, 31)),
        ],
        "accepted",
        at(1, 20, 2025),
        members=[Invitee("marine-futures"), Invitee("fiji"), Invitee("tidewater")],
    ),
    EOISpec(
        "youth-segments",
        "ecosoc",
        "codeher",
        "Youth voice in the SDG Action Segments",
        "Young people speak in every SDG Action Segment of the Partnership Forum.",
        ["sdg-17-partnerships"],
        [17],
        ["Nothing about young people without young people."],
        ["A youth speaker in every SDG Action Segment."],
        [("Youth speakers named for the Forum", dt.date(2025, 1, 31))],
        "accepted",
        at(1, 10, 2025),
    ),
]

# The youth coalition, made by merging the two similar expressions of interest.
YOUTH_COALITION = "ImPACT Coalition for Youth in Global Governance"
YOUTH_SUMMARY = (
    "Youth-led organisations for young people's meaningful participation in the UN and in "
    "national decision-making, after the Pact for the Future and its Declaration on Future "
    "Generations."
)


class CoalitionLoader:
    """Builds the coalition part of the demo for the main loader (inside its transaction)."""

    def __init__(self, loader: Loaded) -> None:
        self.loader = loader
        self.secretariat = loader.users["secretariat"]
        self.eois: dict[str, ExpressionOfInterest] = {}

    def person(self, org: str) -> Any:
        return self.loader.people[org]

    def load(self) -> None:
        csc = self.loader.programmes["csc"]
        ecosoc = self.loader.programmes["ecosoc"]
        coalitions.configure_programme(
            actor=self.secretariat, programme=csc, eoi_deadline=CSC_EOI_DEADLINE
        )
        coalitions.configure_programme(actor=self.secretariat, programme=ecosoc, eoi_deadline=None)
        for spec in EOIS:
            self.eoi(spec)
        self.decide()
        self.shape_coalitions()

    def eoi(self, spec: EOISpec) -> None:
        programme = self.loader.programmes[spec.programme]
        proposer = self.person(spec.org)
        eoi = coalitions.create_eoi(
            actor=proposer,
            programme=programme,
            organisation=self.loader.orgs[spec.org],
            title=spec.title,
            summary=spec.summary,
            principles=spec.principles,
            asks=spec.asks,
            milestones=[MilestoneInput(title, due) for title, due in spec.milestones],
            themes=[self.loader.themes[spec.programme, slug] for slug in spec.themes],
            goals=list(Goal.objects.filter(number__in=spec.goals)),
        )
        if spec.members:
            invited = coalitions.add_members(
                actor=proposer,
                container=eoi,
                members=[self.member_input(m) for m in spec.members],
            )
            for invitee, membership in zip(spec.members, invited, strict=True):
                if invitee.answer is not None and invitee.org:
                    coalitions.respond_to_invitation(
                        actor=self.person(invitee.org),
                        membership=membership,
                        accept=invitee.answer == "accept",
                    )
        if spec.submitted_at is not None:
            eoi = coalitions.submit_eoi(actor=proposer, eoi=eoi, now=spec.submitted_at)
        self.eois[spec.key] = eoi

    def member_input(self, invitee: Invitee) -> MemberInput:
        if invitee.org:
            return MemberInput(organisation=self.loader.orgs[invitee.org])
        return MemberInput(
            email=invitee.email,
            name=invitee.name,
            category=invitee.category,
            country=Country.objects.get(iso2=invitee.country),
        )

    def decide(self) -> None:
        actor = self.secretariat
        for spec in EOIS:
            eoi = self.eois[spec.key]
            if spec.outcome in ("in_review", "accepted", "declined", "merged"):
                eoi = coalitions.start_eoi_review(actor=actor, eoi=eoi)
            if spec.outcome == "accepted":
                eoi = coalitions.accept_eoi(actor=actor, eoi=eoi, reason=spec.reason)
            elif spec.outcome == "declined":
                eoi = coalitions.decline_eoi(actor=actor, eoi=eoi, reason=spec.reason)
            elif spec.outcome == "withdrawn":
                eoi = coalitions.withdraw_eoi(
                    actor=self.person(spec.org), eoi=eoi, reason=spec.reason
                )
            self.eois[spec.key] = eoi

    def coalition_of(self, key: str) -> Coalition:
        coalition = ExpressionOfInterest.objects.get(pk=self.eois[key].pk).coalition
        assert coalition is not None, key
        return coalition

    def shape_coalitions(self) -> None:
        actor = self.secretariat
        # The two youth proposals say much the same: the secretariat merges them.
        record = merge.merge(
            actor=actor,
            sources=[self.eois["youth-seats"], self.eois["youth-participation"]],
            name=YOUTH_COALITION,
            summary=YOUTH_SUMMARY,
        )
        youth = record.target
        assert youth is not None
        youth = coalitions.accept_coalition(actor=actor, coalition=youth)
        youth = coalitions.activate_coalition(actor=actor, coalition=youth)
        # The ECOSOC youth coalition joins it across programmes (the shared network).
        merge.merge(actor=actor, sources=[self.coalition_of("youth-segments")], into=youth)
        self.milestones(
            youth,
            {
                "Joint youth statement to the Summit": MilestoneStatus.DONE,
                "Youth speakers named for the Forum": MilestoneStatus.DONE,
                "Youth participation scorecard of 20 countries": MilestoneStatus.IN_PROGRESS,
            },
        )
        # Members found in the network ask to join; the leads decide.
        leader = self.person("youth-peacebuilders")
        request = coalitions.request_to_join(
            actor=self.person("baobab"), coalition=youth, organisation=self.loader.orgs["baobab"]
        )
        coalitions.decide_join_request(actor=leader, membership=request, accept=True)
        coalitions.request_to_join(
            actor=self.person("gender-data-centre"),
            coalition=youth,
            organisation=self.loader.orgs["gender-data-centre"],
        )

        pact = coalitions.activate_coalition(
            actor=actor, coalition=self.coalition_of("feminist-pact")
        )
        self.milestones(
            pact,
            {
                "Launch at the Civil Society Conference": MilestoneStatus.DONE,
                "Shadow report on the Pact's gender commitments": MilestoneStatus.IN_PROGRESS,
                "Regional dialogues in Africa, Asia and Latin America": MilestoneStatus.PLANNED,
            },
            leader=self.person("amani"),
        )

        statement = coalitions.activate_coalition(
            actor=actor, coalition=self.coalition_of("summit-statement")
        )
        self.milestones(statement, {"Statement delivered at the Summit": MilestoneStatus.DONE})
        coalitions.close_coalition(
            actor=actor,
            coalition=statement,
            reason="Work plan completed: the statement was delivered at the Summit of the "
            "Future on 22 September 2024.",
        )

        ocean = self.coalition_of("ocean-action")
        self.milestones(
            ocean,
            {
                "Reef restoration plan for Samoa": MilestoneStatus.DONE,
                "Ten community marine areas mapped": MilestoneStatus.IN_PROGRESS,
                "Tourism levy for marine areas": MilestoneStatus.DROPPED,
            },
            extra=[("Tourism levy for marine areas", dt.date(2025, 12, 31))],
            leader=self.person("ocean-guardians"),
        )

    def milestones(
        self,
        coalition: Coalition,
        statuses: dict[str, str],
        *,
        extra: list[tuple[str, dt.date]] | None = None,
        leader: Any = None,
    ) -> None:
        """Set the status of the work plan's steps (rows kept: provenance stays)."""
        current = [(m.title, m.due_on) for m in coalition.milestones.all()]  # type: ignore[attr-defined]
        plan = [
            MilestoneInput(title, due, statuses.get(title, MilestoneStatus.PLANNED))
            for title, due in [*current, *(extra or [])]
        ]
        coalitions.update_coalition(
            actor=leader or self.secretariat, coalition=coalition, milestones=plan
        )


def counts(programmes: list[Any]) -> dict[str, int]:
    """Rows of the coalition part, for the summary."""
    rows = {
        "coalition settings": CoalitionSettings.objects.filter(programme__in=programmes).count()
    }
    eois = ExpressionOfInterest.objects.filter(programme__in=programmes)
    for status in ExpressionOfInterest.Status:
        rows[f"EOIs {status.value}"] = eois.filter(status=status).count()
    found = Coalition.objects.filter(programme__in=programmes)
    for state in Coalition.State:
        rows[f"coalitions {state.value}"] = found.filter(state=state).count()
    rows["coalition memberships"] = Membership.objects.filter(
        coalition__programme__in=programmes
    ).count()
    rows["merges"] = MergeRecord.objects.filter(programme__in=programmes).count()
    return rows
