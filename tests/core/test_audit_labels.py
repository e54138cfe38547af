"""Every audit action the code writes reads as words in the audit log: its subject and its
event are both named in ``core.audit`` (a new action without a name would show as a code)."""

import re
from pathlib import Path

import pytest

from pledgebook.coalitions.models import Coalition, ExpressionOfInterest
from pledgebook.commitments.models import Commitment
from pledgebook.core.audit import EVENTS, SUBJECTS, action_label

ROOT = Path(__file__).resolve().parents[2] / "pledgebook"
LITERAL = re.compile(r'action="([a-z_]+)\.([a-z_]+)"')


def written_actions() -> set[str]:
    found = set()
    for path in ROOT.rglob("*.py"):
        if "migrations" not in path.parts:
            found |= {f"{s}.{e}" for s, e in LITERAL.findall(path.read_text())}
    # The ones built from a state (f"commitment.{to}", f"eoi.{to}", f"coalition.{to}", merges).
    found |= {f"commitment.{s}" for s in Commitment.Status.values}
    found |= {f"eoi.{s}" for s in ExpressionOfInterest.Status.values}
    found |= {f"coalition.{s}" for s in Coalition.State.values}
    found |= {f"{k}.{e}" for k in ("eoi", "coalition") for e in ("merged", "merge_undone")}
    return found


def test_the_scan_finds_the_actions_written() -> None:
    actions = written_actions()
    assert {"commitment.assessment_overridden", "account.deleted", "cycle.opened"} <= actions
    assert len(actions) > 60


@pytest.mark.parametrize("action", sorted(written_actions()))
def test_every_action_is_named(action: str) -> None:
    subject, _, event = action.partition(".")
    assert subject in SUBJECTS
    assert event in EVENTS
    assert "_" not in action_label(action)
