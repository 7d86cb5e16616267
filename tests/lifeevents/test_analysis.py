"""The shared query analysis, on a small hand-made vocabulary (no database)."""

from lifeevents.search import analysis
from lifeevents.search.index import build_vocabulary


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
