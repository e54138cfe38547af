"""Secrets that must never reach a log: the token of a personal reporting link
(``/report/<token>/``: whoever has it can report for the organisation).

Used by the settings' log handler (:class:`RedactSecrets`: Django's own "Forbidden:
/report/…/" warnings) and by gunicorn's access log (deploy/gunicorn.conf.py).  Imports nothing
from Django, so gunicorn's master can load it.
"""

from __future__ import annotations

import logging
import re

_REPORT_LINK = re.compile(r"(/report/)[^/?#\s\"']+")


def redact(text: str) -> str:
    return _REPORT_LINK.sub(r"\1[secret]", text)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
