from pledgebook.similarity.terms import top_terms_shared


def test_shared_significant_words_without_stop_words():
    a = "Coalition to end plastic pollution in small island states: ban single-use plastics."
    b = "Island nations want a ban on plastic packaging to stop pollution of the ocean."
    assert top_terms_shared(a, b) == ["plastic", "pollution", "island", "ban"]


def test_case_accents_and_plurals_are_folded():
    a = "Protéger les Récifs coralliens et les mangroves"
    b = "protéger le récif et la mangrove"
    assert top_terms_shared(a, b) == ["mangroves", "protéger", "récifs"]


def test_limit_and_order_are_stable():
    a = "energy access energy solar mini-grids villages electricity"
    b = "solar energy for villages without electricity"
    assert top_terms_shared(a, b, limit=2) == ["energy", "electricity"]
    assert top_terms_shared(a, b) == ["energy", "electricity", "villages", "solar"]


def test_nothing_shared():
    assert top_terms_shared("Vaccine hubs in Africa.", "Deep-sea mining moratorium.") == []
    assert top_terms_shared("", "anything") == []
    assert top_terms_shared("the and of coalition", "the and of coalition") == []
