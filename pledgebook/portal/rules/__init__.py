"""The portal's permissions (django-rules, loaded by ``rules.apps.AutodiscoverRulesConfig``),
one module per part."""

from pledgebook.portal.rules import finder  # noqa: F401
