import rules

from pledgebook.programmes.rules import is_secretariat

# Bringing a registry's commitments and organisations in: the programme's secretariat only.
rules.add_perm("registry.import_commitments", is_secretariat)


@rules.predicate
def runs_commitments_programme(user: object, commitment: object) -> bool:
    return bool(is_secretariat(user, getattr(commitment, "programme", None)))


# An SDG suggested from an imported commitment's text becomes one of its goals only when the
# programme's secretariat accepts it (registry.suggestions).
rules.add_perm("registry.decide_goal_suggestion", runs_commitments_programme)
