"""``{{ entry.action|audit_action }}``: audit codes as people read them (core.audit)."""

from django import template

from pledgebook.core.audit import action_label, object_type_label

register = template.Library()
register.filter("audit_action", action_label)
register.filter("audit_object_type", object_type_label)
