"""The shared query analysis, on a small hand-made vocabulary (no database)."""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lifeevents.search import analysis
from lifeevents.search.index import build_vocabulary
from tests.lifeevents.counting import Lookups, counted_vocabulary, counting_lexicon, counting_stems


def _vocabulary(*texts):
    rows = [
        (
            n,
            1,
            [1],
            question,
            [],
            [],
            "kort",
            answer,
            *[" ".join(analysis.analyse_text(t)) for t in (question, "kort", answer)],
        )
        for n, (question, answer) in enumerate(texts, 1)
    ]
    return build_vocabulary(rows)


def _terms(concepts):
    return {(alt.terms, alt.via) for concept in concepts for alt in concept.alternatives}


def test_stemming_conflates_inflections():
    assert analysis.stem("verhuizen") == analysis.stem("verhuizing") == "verhuis"
    assert analysis.stem("aanvragen") == analysis.stem("aanvraag")
    assert analysis.stem("uitkeringen") == analysis.stem("uitkering")


def test_participle_the_stemmer_leaves_alone_maps_to_the_known_stem():
    vocabulary = _vocabulary(("Hoe geef ik mijn verhuizing door?", "Verhuizen doet u online."))
    concepts = analysis.analyse_query("ik ben verhuisd", vocabulary)
    assert (("verhuis",), "variant") in _terms(concepts)


def test_stop_words_and_phone_filler_are_dropped():
    assert analysis.content_words("ja hallo goedemorgen, ik bel omdat ik een vraag heb over de huurtoeslag") == [
        "huurtoeslag"
    ]


def test_compound_split_against_the_lexicon():
    lexicon = analysis.lexicon_from_texts(["de huur van uw woning", "een toeslag krijgen", "de zorg"])
    assert analysis.split_compound("huurtoeslag", lexicon) == ("huur", "toeslag")
    assert analysis.split_compound("zorgtoeslagen", lexicon) == ("zorg", "toeslagen")
    assert analysis.split_compound("kastanjeboom", lexicon) == ()


def test_document_terms_hold_compound_parts():
    lexicon = analysis.lexicon_from_texts(["huur", "toeslag"])
    stem = analysis.stem
    assert analysis.analyse_text("Huurtoeslag aanvragen", lexicon) == [
        stem("huurtoeslag"),
        stem("huur"),
        stem("toeslag"),
        stem("aanvraag"),
    ]
    # Doubled vowels are collapsed after stemming so open and closed syllables meet.
    assert stem("toeslagen") == stem("toeslag") == "toeslag"


def test_query_words_typed_apart_are_joined_into_the_compound():
    vocabulary = _vocabulary(("Hoe vraag ik huurtoeslag aan?", "Via Mijn toeslagen."))
    concepts = analysis.analyse_query("huur toeslag", vocabulary)
    assert ((analysis.stem("huurtoeslag"),), "joined") in _terms(concepts)


def test_unknown_compound_in_query_is_split_into_known_parts():
    vocabulary = _vocabulary(("Krijg ik huurtoeslag?", "Vul het formulier in."))
    concepts = analysis.analyse_query("huurtoeslagformulier", vocabulary)
    # One alternative holding both parts: an article needs both to score like the compound.
    assert _terms(concepts) == {((analysis.stem("huurtoeslag"), "formulier"), "compound")}


def test_synonyms_and_abbreviations_expand_to_indexed_words():
    vocabulary = _vocabulary(("Hoe vraag ik studiefinanciering aan?", "Bij DUO."), ("Wanneer krijg ik AOW?", "SVB"))
    assert (("studiefinancier",), "synonym") in _terms(analysis.analyse_query("stufi", vocabulary))
    english = _terms(analysis.analyse_query("death certificate", _vocabulary(("Overlijden aangeven", "akte"))))
    assert (("overlijd",), "synonym") in english


def test_synonym_table_parses_groups_and_one_way_rules():
    table = analysis.parse_synonyms(["bijstand, bijstandsuitkering", "stufi => studiefinanciering"])
    assert table.lookup(("bijstand",)) == (("bijstandsuitker",),)
    assert table.lookup(("bijstandsuitker",)) == (("bijstand",),)
    assert table.lookup(("stufi",)) == (("studiefinancier",),)
    assert table.lookup(("studiefinancier",)) == ()


def test_typos_are_corrected_against_the_vocabulary():
    vocabulary = _vocabulary(("Hoe vraag ik kinderbijslag aan?", "De kinderbijslag komt van de SVB."))
    assert vocabulary.correct("kinderbijsalg") == "kinderbijslag"  # transposition
    assert vocabulary.correct("kinderbijslg") == "kinderbijslag"  # deletion
    assert vocabulary.correct("xyzzy") is None
    concepts = analysis.analyse_query("kinderbijsalg", vocabulary)
    assert (("kinderbijslag",), "typo") in _terms(concepts)


def test_a_concept_left_without_alternatives_is_dropped():
    # The typo's correction is the first word's own term, so it counts there only; an empty concept
    # would make PostgreSQL's score "GREATEST()" (a syntax error, a 500).
    vocabulary = _vocabulary(("Hoe vraag ik kinderbijslag aan?", "De kinderbijslag komt van de SVB."))
    concepts = analysis.analyse_query("kinderbijslag kinderbijsalg", vocabulary)
    assert [c.word for c in concepts] == ["kinderbijslag"]
    assert all(concept.alternatives for concept in concepts)


def test_a_term_counts_once_across_concepts():
    vocabulary = _vocabulary(("Hoe vraag ik een WW-uitkering aan?", "WW bij UWV."), ("Bijstand", "uitkering"))
    concepts = analysis.analyse_query("WW-uitkering", vocabulary)
    owners = [c.word for c in concepts for alt in c.alternatives if alt.terms == ("ww",)]
    assert owners == ["ww"]


def test_very_long_input_is_bounded():
    words = [f"woord{chr(97 + n // 26)}{chr(97 + n % 26)}" for n in range(100)]
    vocabulary = _vocabulary((" ".join(words), "tekst"))
    concepts = analysis.analyse_query(" ".join(words), vocabulary)
    assert len(concepts) == analysis.MAX_QUERY_WORDS == 60
    assert concepts[0].word == words[0]


def test_verb_prefixes_are_not_compound_heads():
    lexicon = analysis.lexicon_from_texts(["ver weg", "een lening", "wijzing", "de schuldhulp"])
    assert analysis.split_compound("verlening", lexicon) == ()
    assert analysis.split_compound("schuldhulpverlening", lexicon) == ()


def test_short_words_are_not_typo_corrected():
    vocabulary = _vocabulary(("Post doorsturen", "De post van de gemeente."))
    assert vocabulary.correct("lost") is None  # an English word, not a typo of "post"


# ------------------------------------------------------------------------------ bounded work (issue 15)
# Work is counted (tests/lifeevents/counting.py), never timed.

COMPOUND_TEXTS = (
    ("Hoe vraag ik huurtoeslag aan?", "De huur van uw woning en een toeslag van de Belastingdienst."),
    ("Kinderbijslag en kinderopvangtoeslag", "Voor uw kind krijgt u kinderbijslag van de SVB."),
    ("Zorgtoeslag stopzetten", "Wijzig uw inkomen, partner of adres bij de zorgverzekering."),
    ("Parkeervergunning aanvragen", "Een vergunning voor parkeren bij uw woning of bedrijf."),
)
# Short lexicon words glued together: every position is a possible split point, the worst case.
GLUE = "huurtoeslagkindzorgwoningaanvraagpartnerbijslag"


def _glued(length: int) -> str:
    return (GLUE * (length // len(GLUE) + 1))[:length]


@pytest.mark.parametrize("length", [48, 300, 2000])  # 48: MAX_WORD_LENGTH, the longest word that is split
def test_splitting_a_long_word_does_bounded_work(length):
    counter = Lookups()
    lexicon = counting_lexicon(analysis.lexicon_from_texts(text for pair in COMPOUND_TEXTS for text in pair), counter)
    with counting_stems(counter):
        analysis.split_compound(_glued(length), lexicon)
    assert counter.count <= analysis.MAX_SPLIT_LOOKUPS


def test_the_split_still_finds_compounds_of_several_parts():
    lexicon = analysis.lexicon_from_texts(["de huur", "een toeslag", "het formulier", "de aanvraag"])
    assert analysis.split_compound("huurtoeslagaanvraagformulier", lexicon) == (
        "huur",
        "toeslag",
        "aanvraag",
        "formulier",
    )
    assert analysis.split_compound("huurtoeslagenformulier", lexicon) == ("huur", "toeslagen", "formulier")


@pytest.mark.parametrize(
    "query",
    [
        _glued(2000),  # one word of 2,000 letters
        _glued(300),
        _glued(48),  # the longest word that is split and corrected (MAX_WORD_LENGTH)
        " ".join([_glued(48)] * 10),  # ten of them, different ones below
        " ".join(_glued(48 - n) for n in range(10)),
        "a" * 2000,
        " ".join(GLUE[n : n + 7] for n in range(40)) * 2,  # many short unknown words (typo, prefix lookups)
    ],
    ids=["2000-letter word", "300-letter word", "longest split word", "10 x longest", "10 different", "aaa", "many"],
)
def test_analysing_long_input_does_bounded_work(query):
    counter = Lookups()
    vocabulary = counted_vocabulary(_vocabulary(*COMPOUND_TEXTS), counter)
    with counting_stems(counter):
        analysis.analyse_query(query, vocabulary)
    # Lookups per word (its term, synonyms, joining with the next) times the words, plus the budget.
    assert counter.count <= 20 * analysis.MAX_QUERY_WORDS + 3 * analysis.MAX_QUERY_LOOKUPS


def test_a_word_longer_than_any_real_word_is_taken_as_typed():
    vocabulary = _vocabulary(*COMPOUND_TEXTS)
    word = _glued(analysis.MAX_WORD_LENGTH + 1)
    assert analysis.stem(word) == word
    assert analysis.split_compound(word, vocabulary.lexicon) == ()
    assert vocabulary.correct(word) is None
    assert analysis.analyse_query(word, vocabulary) == []


def test_a_query_has_at_most_max_query_terms_terms_taken_in_the_order_said(monkeypatch):
    vocabulary = _vocabulary(("Hoe vraag ik huurtoeslag aan?", "Via Mijn toeslagen."), ("Zorg en woning", "AOW"))
    monkeypatch.setattr(analysis, "MAX_QUERY_TERMS", 3)
    concepts = analysis.analyse_query("zorg huur toeslag woning aow", vocabulary)
    # zorg, toeslag, and huur + toeslag joined (said at "huur", so before "woning"): three terms.
    assert [c.word for c in concepts] == ["zorg", "toeslag", "huurtoeslag"]
    assert len({t for c in concepts for t in c.terms}) == 3


_FRAGMENTS = ["huur", "toeslag", "kind", "zorg", "woning", "aanvraag", "s", "en", "er", "e", "ge", "ver", "aa", "1"]
# Up to the longest question the API accepts: fragments of lexicon words, glued or apart, and noise.
_questions = st.lists(
    st.one_of(st.sampled_from([*_FRAGMENTS, " "]), st.text("abeijknorstuz09 ", max_size=6)), max_size=400
).map(lambda parts: "".join(parts)[: analysis.MAX_QUERY_LENGTH])


@given(query=_questions)
@example(query=_glued(500))
@example(query=" ".join(_glued(48 - n % 9) for n in range(11)))
@example(query="a" * 500)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_accepted_question_is_analysed_within_the_budget(query):
    counter = Lookups()
    vocabulary = counted_vocabulary(_VOCABULARY, counter)
    work = analysis.Work()
    with counting_stems(counter):
        concepts = analysis.analyse_query(query, vocabulary, work)
    assert work.lookups <= analysis.MAX_QUERY_LOOKUPS
    assert counter.count <= 20 * analysis.MAX_QUERY_WORDS + 3 * analysis.MAX_QUERY_LOOKUPS
    assert len({t for concept in concepts for t in concept.terms}) <= analysis.MAX_QUERY_TERMS
    assert all(concept.alternatives for concept in concepts)


_VOCABULARY = _vocabulary(*COMPOUND_TEXTS)
