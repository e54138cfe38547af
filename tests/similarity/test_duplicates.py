"""The duplicate scorer (pledgebook.similarity.duplicates): its contract, on written records."""

from datetime import date

from pledgebook.similarity.duplicates import (
    RELATED_THRESHOLD,
    SAME_THRESHOLD,
    Record,
    language_of,
    score_pair,
)

MANGROVES_EN = Record(
    title="Restoring mangroves in the Gulf of Fonseca",
    description=(
        "The ministry and fishing cooperatives will restore 2,000 hectares of mangroves in the "
        "Gulf of Fonseca by 2030 and train the communities that depend on them."
    ),
    lead_organisation="Ministry of Environment of Honduras",
    countries=("Honduras",),
    start_date=date(2022, 6, 1),
    end_date=date(2030, 12, 31),
)


def test_the_same_record_twice_is_probably_the_same_initiative():
    result = score_pair(MANGROVES_EN, MANGROVES_EN, cosine=1.0)
    assert result.label == "same"
    assert result.score >= SAME_THRESHOLD
    assert result.reasons[:2] == ("same title", "same lead organisation")
    assert "same start and end dates" in result.reasons


def test_the_scorer_is_symmetric_and_bounded():
    other = Record(
        title="Beach clean-up in Dakar",
        description="Volunteers will clean the beaches of Dakar every month and sort the waste.",
        lead_organisation="Senegal Ocean Youth",
        countries=("Senegal",),
    )
    ab = score_pair(MANGROVES_EN, other, cosine=0.84)
    ba = score_pair(other, MANGROVES_EN, cosine=0.84)
    assert ab.score == ba.score
    assert 0.0 <= ab.score < RELATED_THRESHOLD
    assert ab.label is None
    assert "different countries" in ab.reasons


def test_a_translation_is_found_and_the_languages_are_named():
    spanish = Record(
        title="Restauración de manglares en el Golfo de Fonseca",
        description=(
            "El ministerio y las cooperativas de pesca restaurarán 2.000 hectáreas de manglares en "
            "el Golfo de Fonseca para 2030 y capacitarán a las comunidades que dependen de ellos."
        ),
        lead_organisation="Ministry of Environment of Honduras",
        countries=("Honduras",),
        start_date=date(2022, 6, 1),
        end_date=date(2030, 12, 31),
    )
    result = score_pair(spanish, MANGROVES_EN, cosine=0.93)
    assert result.label == "same"
    assert "one is in Spanish, the other in English" in result.reasons
    assert "similar description (cosine 0.93)" in result.reasons


def test_language_of_needs_enough_common_words():
    assert language_of("Las comunidades de la costa y el mar para la pesca") == "es"
    assert language_of("Ocean") is None
