"""Write the audit trail.  Called by domain functions inside their transaction."""

from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pledgebook.core.models import AuditEntry


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    programme: Any = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        programme=programme,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        reason=reason,
        data=data or {},
    )


# What people read in the audit log: "Commitment: assessment overridden", not
# "commitment.assessment_overridden".  An action is "<subject>.<event>"; both parts are named
# here, and a part not named yet reads as its words ("merge_received" -> "merge received").
SUBJECTS = {
    "account": _("Account"),
    "action": _("Blueprint action"),
    "annual_report": _("Annual report"),
    "application": _("Application"),
    "case_study": _("Case study"),
    "coalition": _("Coalition"),
    "coalitions": _("Coalitions"),
    "cochairs_summary": _("Co-Chairs' Summary"),
    "consultation": _("Consultation"),
    "contact_request": _("Contact request (partner finder)"),
    "digest": _("Follow-up digest"),
    "event": _("Event"),
    "registration": _("Event registration"),
    "room": _("Room"),
    "session": _("Session"),
    "session_summary": _("Session summary"),
    "side_event": _("Side-event proposal"),
    "statement": _("Stakeholder statement"),
    "subscriber": _("Digest subscriber"),
    "commitment": _("Commitment"),
    "cycle": _("Reporting cycle"),
    "eoi": _("Expression of interest"),
    "exchange_rate": _("Exchange rate"),
    "exchange_rates": _("Exchange rates"),
    "indicator": _("Indicator"),
    "investor_interest": _("Investor's interest"),
    "investor_profile": _("Investor profile"),
    "pitch_call": _("Call for scale-up plans"),
    "pitch_invitation": _("Invitation to pitch"),
    "pitch_outcome": _("Pitch outcome"),
    "pitch_plan": _("Scale-up plan"),
    "membership": _("Membership"),
    "organisation": _("Organisation"),
    "programme": _("Programme"),
    "registry": _("Registry import (commitments)"),
    "report": _("Progress report"),
    "theme": _("Theme"),
}
EVENTS = {
    "accepted": _("accepted"),
    "co_makers_asked_again": _("co-makers asked to confirm again after a change"),
    "commitment_joined": _("a confirmed commitment joined the cycle"),
    "commitments_imported": _("imported commitments joined the cycle"),
    "changed": _("changed"),
    "cancelled": _("cancelled"),
    "compiled": _("first draft compiled"),
    "moved_off_waitlist": _("given a place from the waiting list"),
    "point_split": _("merged point split again"),
    "published": _("published"),
    "registered": _("registered"),
    "replied": _("replied"),
    "responded": _("response received"),
    "responses_imported": _("responses imported"),
    "selected": _("selected"),
    "sent": _("sent"),
    "subscribed": _("subscribed"),
    "themes_grouped": _("responses grouped into themes"),
    "unsubscribed": _("unsubscribed"),
    "unpublished": _("unpublished: back to a draft"),
    "restored": _("an earlier version restored as a new one"),
    "version_saved": _("new version saved"),
    "waitlisted": _("put on the waiting list"),
    "exported": _("data downloaded by its owner"),
    "import_queued": _("import started in the background"),
    "import_refused": _("import file refused"),
    "interrupted": _("interrupted"),
    "link_given": _("reporting link given"),
    "representative_left": _("representative left"),
    "requeued": _("queued again after an interruption"),
    "set": _("set"),
    "signup_existing": _("sign-up tried with this address"),
    "active": _("made active"),
    "approved": _("approved"),
    "assessment_overridden": _("assessment overridden by a reviewer"),
    "closed": _("closed"),
    "co_maker_confirmed": _("co-maker confirmed"),
    "co_maker_declined": _("co-maker declined"),
    "coalition_settings": _("coalition settings changed"),
    "confirmed": _("confirmed"),
    "created": _("created"),
    "declined": _("declined"),
    "deleted": _("deleted"),
    "draft": _("back to draft"),
    "edited": _("edited"),
    "featured": _("featured"),
    "import_uploaded": _("import file uploaded"),
    "imported": _("imported"),
    "in_review": _("taken into review"),
    "invited": _("invited"),
    "joined": _("joined"),
    "link_resent": _("reporting link sent again"),
    "merge_accepted": _("merge accepted"),
    "merge_declined": _("merge declined"),
    "merge_invitation_cancelled": _("merge invitation cancelled"),
    "merge_invited": _("invited to merge"),
    "merge_received": _("merged into this one"),
    "merge_undone": _("merge undone"),
    "merged": _("merged"),
    "linked": _("linked to another registration of the same initiative"),
    "unlinked": _("taken out of its initiative"),
    "made_primary": _("made the initiative's main registration"),
    "goal_suggestion_accepted": _("suggested SDG accepted"),
    "goal_suggestion_dismissed": _("suggested SDG dismissed"),
    "opened": _("opened"),
    "proposed": _("proposed"),
    "removed": _("removed"),
    "representative_added": _("representative added"),
    "request_accepted": _("request to join accepted"),
    "requested": _("requested"),
    "returned": _("returned for revision"),
    "role_changed": _("role changed"),
    "role_granted": _("role granted"),
    "role_revoked": _("role revoked"),
    "saved": _("saved"),
    "scheduled": _("scheduled"),
    "signup_repeated": _("sign-up tried again with this address"),
    "submitted": _("submitted"),
    "submitted_late": _("submitted after the deadline"),
    "revised": _("revised after submission"),
    "forum_settings": _("forum settings changed"),
    "task_sent": _("task sent to the organisers"),
    "reminded": _("reminder sent"),
    "registration_prompted": _("announced commitment's maker invited to register it"),
    "under_consideration": _("under consideration"),
    "updated": _("updated"),
    "verified": _("verified"),
    "withdrawn": _("withdrawn"),
    "shortlisted": _("shortlisted"),
    "recorded": _("recorded"),
    "met": _("met"),
    "due_diligence": _("in due diligence"),
    "funded": _("funded"),
}


def _words(code: str) -> str:
    return code.replace("_", " ").replace(".", " ")


def action_label(action: str) -> str:
    """The audit action as people read it, e.g. "Commitment: confirmed"."""
    subject, _sep, event = action.partition(".")
    subject_label = SUBJECTS.get(subject) or _words(subject).capitalize()
    if not event:
        return str(subject_label)
    return gettext("%(subject)s: %(event)s") % {
        "subject": subject_label,
        "event": EVENTS.get(event) or _words(event),
    }


def object_type_label(object_type: str) -> str:
    """An ``app_label.model`` as its model's name ("commitment"), or as given if unknown."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type
