"""Secrets that must never reach a log: the token of a personal reporting link
(``/report/<token>/``: whoever has it can report for the organisation).

Used by the settings' log handler (:class:`RedactSecrets`: Django's own "Forbidden:
/report/…/" warnings) and by gunicorn's access log (deploy/gunicorn.conf.py).  Imports nothing
from Django, so gunicorn's master can load it.

Also the ids that tie log lines together (:data:`request_id`, :data:`task_id`, written into
every record by :class:`RequestIds`) and the JSON formatter of production
(:class:`JsonFormatter`, ``LOG_FORMAT=json``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from contextvars import ContextVar
from typing import Any

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


# Request and task ids ----------------------------------------------------------------------------
#
# The id of the request being served (core/middleware.py, RequestIdMiddleware: the proxy's
# X-Request-ID, else a new one) or of the task being run (core's db_worker), in a context
# variable: each thread (gunicorn's gthread workers) and each asyncio task sees its own.

request_id: ContextVar[str] = ContextVar("request_id", default="")
task_id: ContextVar[str] = ContextVar("task_id", default="")

#: What a request id taken from the proxy may be: letters, digits, ``-``, ``_``, ``.``, up to
#: 64 (nginx's $request_id is 32 hex digits, a UUID is 36 characters).  Anything else is
#: replaced, so a client cannot write into the logs through it.
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def safe_request_id(value: str | None) -> str | None:
    """``value`` when it is a safe token to write in logs and headers, else ``None``."""
    return value if value and _SAFE_ID.fullmatch(value) else None


class RequestIds(logging.Filter):
    """Gives every record ``request_id`` and ``task_id`` (empty outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.task_id = task_id.get()
        return True


#: Attributes every LogRecord has: the JSON formatter writes the others (``extra=``) as fields.
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


_IDS = ("request_id", "task_id")


class JsonFormatter(logging.Formatter):
    """One JSON object a line (``LOG_FORMAT=json``): time (UTC, ISO 8601), level, logger,
    message, request_id / task_id when set, the exception's traceback, and any ``extra``
    fields.  The message is redacted (:func:`redact`) whatever filters the handler has."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for key in _IDS:
            if value := getattr(record, key, ""):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        for key, value in vars(record).items():
            if key in _RECORD_ATTRIBUTES or key in _IDS or key.startswith("_"):
                continue
            if key not in entry:
                entry[key] = value if isinstance(value, (int, float, bool)) else redact(str(value))
        return json.dumps(entry, ensure_ascii=False)
