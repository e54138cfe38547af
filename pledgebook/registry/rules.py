import rules

from pledgebook.programmes.rules import is_secretariat

# Bringing a registry's commitments and organisations in: the programme's secretariat only.
rules.add_perm("registry.import_commitments", is_secretariat)
