"""Who may send and answer the partner finder's contact requests."""

from typing import Any

import rules

from pledgebook.organisations.models import Representative


@rules.predicate
def represents_sender(user: Any, request: Any) -> bool:
    """``request``: an Organisation (a request about to be sent from it) or a ContactRequest."""
    if not getattr(user, "is_authenticated", False) or request is None:
        return False
    org_id = getattr(request, "sender_id", None) or getattr(request, "pk", None)
    if org_id is None:
        return False
    return Representative.objects.filter(user=user, organisation_id=org_id).exists()


@rules.predicate
def represents_recipient(user: Any, request: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or request is None:
        return False
    return Representative.objects.filter(user=user, organisation_id=request.recipient_id).exists()


#: Send a contact request from an organisation (the object: the sending Organisation).
rules.add_perm("portal.send_contact_request", represents_sender)
#: Reply to, or decline, a contact request (the object: the ContactRequest).
rules.add_perm("portal.reply_contact_request", represents_recipient)
#: Read a contact request: either side.
rules.add_perm("portal.view_contact_request", represents_sender | represents_recipient)
