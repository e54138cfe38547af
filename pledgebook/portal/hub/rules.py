"""Permissions of the knowledge hub (django-rules).  The object decides the scope.

- ``portal.write_case_study`` (Organisation): its representatives start a case study for it.
- ``portal.change_case_study`` (CaseStudy): its organisation's representatives, while it is a
  draft or returned.
- ``portal.submit_case_study`` (CaseStudy): its organisation's representatives (the state,
  draft or returned, is checked by the transition).
- ``portal.review_case_study`` (CaseStudy): the secretariat of its programme publishes or
  returns it.
- ``portal.view_case_study`` (CaseStudy): anyone when published in a published programme; its
  organisation's representatives always; the programme's secretariat once submitted.
"""

from typing import Any

import rules

from pledgebook.organisations.rules import represents
from pledgebook.programmes.rules import is_secretariat


@rules.predicate
def represents_author(user: Any, case_study: Any) -> bool:
    return bool(represents(user, case_study.organisation))


@rules.predicate
def is_editable(user: Any, case_study: Any) -> bool:
    return bool(case_study.is_editable)


@rules.predicate
def runs_programme(user: Any, case_study: Any) -> bool:
    return bool(is_secretariat(user, case_study.programme))


@rules.predicate
def is_public(user: Any, case_study: Any) -> bool:
    return case_study.status == "published" and case_study.programme.is_published


@rules.predicate
def was_submitted(user: Any, case_study: Any) -> bool:
    return case_study.status != "draft"


rules.add_perm("portal.write_case_study", represents)
rules.add_perm("portal.change_case_study", represents_author & is_editable)
rules.add_perm("portal.submit_case_study", represents_author)
rules.add_perm("portal.review_case_study", runs_programme)
rules.add_perm(
    "portal.view_case_study", is_public | represents_author | (runs_programme & was_submitted)
)
