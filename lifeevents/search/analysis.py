"""Text analysis shared by indexing and querying, independent of the database.

Documents and queries go through the same steps (normalise, tokenise, drop stop words, Dutch snowball
stem, split compounds against the corpus lexicon), so both backends compare the same terms. Queries
additionally get synonym expansion, joining of split compounds, stem variants, prefix and typo
correction against the vocabulary of the index (see `analyse_query`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import snowballstemmer

DATA_DIR = Path(__file__).resolve().parent / "data"
_TOKEN = re.compile(r"[a-z0-9]+")
_STEMMER = snowballstemmer.stemmer("dutch")

# Linking morphemes between compound parts (huur-toeslag, ouderdom-s-wet, kind-er-bijslag, zieken-huis).
_LINKERS = ("", "s", "e", "en", "er")
MIN_PART = 3
MIN_TAIL = 4
MIN_COMPOUND = 7


def _read_lines(name: str) -> list[str]:
    lines = []
    for raw in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def normalise(text: str) -> str:
    """Lower case, accents removed (één -> een), apostrophes and hyphens split words (zzp'er -> zzp er)."""
    text = text.lower()
    if text.isascii():
        return text
    # Decompose and drop what is not ASCII: the accents (één -> een); other letters were separators anyway.
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def tokenise(text: str) -> list[str]:
    return _TOKEN.findall(normalise(text))


@functools.cache
def stopwords() -> frozenset[str]:
    words: set[str] = set()
    for line in _read_lines("stopwords.txt"):
        words.update(tokenise(line))
    return frozenset(words)


_DOUBLE_VOWEL = re.compile(r"([aeou])\1")


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball Dutch stem with doubled vowels collapsed, so that the open and closed syllable forms
    meet (toeslagen -> toeslaag -> toeslag, aanvragen -> aanvraag -> aanvrag)."""
    if word.isdigit() or len(word) <= 3:
        return word
    return _DOUBLE_VOWEL.sub(r"\1", _STEMMER.stemWord(word))


def content_words(text: str) -> list[str]:
    """Tokens without stop words, in order."""
    stop = stopwords()
    return [t for t in tokenise(text) if t not in stop and (len(t) > 1 or t.isdigit())]


@functools.lru_cache(maxsize=200_000)
def _split_cached(word: str, lexicon_id: int) -> tuple[str, ...]:
    return _split(word, _LEXICONS[lexicon_id], depth=0)


_LEXICONS: dict[int, frozenset[str]] = {}


def register_lexicon(lexicon: frozenset[str]) -> int:
    """Give a lexicon an id for the split cache (a few lexicons live per process)."""
    key = id(lexicon)
    if key not in _LEXICONS:
        if len(_LEXICONS) > 8:
            _LEXICONS.clear()
            _split_cached.cache_clear()
        _LEXICONS[key] = lexicon
    return key


# Verb prefixes are not compound heads: verwijzing is not ver + wijzing, verlening not ver + lening.
_NOT_A_HEAD = frozenset({"ver", "ont", "her", "mis", "be", "ge"})


def _known(part: str, lexicon: frozenset[str]) -> bool:
    return len(part) >= MIN_PART and (part in lexicon or stem(part) in lexicon)


def _split(word: str, lexicon: frozenset[str], depth: int) -> tuple[str, ...]:
    """Best split of a compound into known parts (longest last part first), or () if none."""
    if len(word) < MIN_COMPOUND or depth > 2:
        return ()
    best: tuple[str, ...] = ()
    for cut in range(MIN_PART, len(word) - MIN_TAIL + 1):
        tail = word[cut:]
        for linker in _LINKERS:
            head_end = cut - len(linker)
            if head_end < MIN_PART or not word[:cut].endswith(linker):
                continue
            head = word[:head_end]
            if head in _NOT_A_HEAD:
                continue
            if not _known(head, lexicon):
                head_parts = _split(head, lexicon, depth + 1)
                if not head_parts:
                    continue
            else:
                head_parts = (head,)
            if len(tail) >= MIN_TAIL and _known(tail, lexicon):
                candidate = (*head_parts, tail)
            else:
                tail_parts = _split(tail, lexicon, depth + 1)
                if not tail_parts:
                    continue
                candidate = (*head_parts, *tail_parts)
            # Fewest parts wins; among equals the first found (longest tail).
            if not best or len(candidate) < len(best):
                best = candidate
        if best and len(best) == 2:
            break
    return best


def split_compound(word: str, lexicon: frozenset[str]) -> tuple[str, ...]:
    """huurtoeslag -> (huur, toeslag) when both parts are in the lexicon (words or stems of the corpus)."""
    if len(word) < MIN_COMPOUND:
        return ()
    return _split_cached(word, register_lexicon(lexicon))


def analyse_text(text: str, lexicon: frozenset[str] | None = None) -> list[str]:
    """Terms of a document field: stems of the content words, plus the stems of their compound parts."""
    terms = []
    for word in content_words(text):
        terms.append(stem(word))
        if lexicon is not None:
            terms.extend(stem(part) for part in split_compound(word, lexicon))
    return terms


def lexicon_from_texts(texts) -> frozenset[str]:
    """Words and stems that may be compound parts: every content word of the corpus and its stem."""
    words: set[str] = set()
    for text in texts:
        for word in content_words(text):
            words.add(word)
            words.add(stem(word))
    return frozenset(words)


# ---------------------------------------------------------------------------------------------- synonyms


@dataclass(frozen=True)
class SynonymTable:
    """Maps a sequence of stems to the alternatives it may also be searched as."""

    entries: dict[tuple[str, ...], tuple[tuple[str, ...], ...]]
    max_len: int

    def lookup(self, key: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        return self.entries.get(key, ())


def _phrase_stems(phrase: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in content_words(phrase))


def parse_synonyms(lines: list[str]) -> SynonymTable:
    entries: dict[tuple[str, ...], list[tuple[str, ...]]] = {}

    def add(source: tuple[str, ...], target: tuple[str, ...]):
        if source and target and source != target:
            bucket = entries.setdefault(source, [])
            if target not in bucket:
                bucket.append(target)

    for line in lines:
        if "=>" in line:
            left, right = line.split("=>", 1)
            sources = [_phrase_stems(p) for p in left.split(",")]
            targets = [_phrase_stems(p) for p in right.split(",")]
            for source in sources:
                for target in targets:
                    add(source, target)
        else:
            members = [_phrase_stems(p) for p in line.split(",")]
            for source in members:
                for target in members:
                    add(source, target)
    frozen = {key: tuple(value) for key, value in entries.items()}
    return SynonymTable(entries=frozen, max_len=max((len(k) for k in frozen), default=1))


@functools.cache
def synonym_table() -> SynonymTable:
    return parse_synonyms(_read_lines("synonyms.txt"))


# ---------------------------------------------------------------------------------------------- queries

# How much an alternative counts relative to the word the citizen used.
WEIGHT_EXACT = 1.0
WEIGHT_JOINED = 1.0
WEIGHT_VARIANT = 0.9
WEIGHT_SYNONYM = 0.8
WEIGHT_PART = 0.7
WEIGHT_PREFIX = 0.7
WEIGHT_TYPO = 0.75
WEIGHT_OFF_TOPIC = 0.5
MAX_QUERY_WORDS = 60


@dataclass
class Alternative:
    terms: tuple[str, ...]
    weight: float
    via: str  # exact | joined | variant | synonym | compound | prefix | typo


@dataclass
class Concept:
    """One thing the citizen said; a document scores the best of its alternatives."""

    word: str
    alternatives: list[Alternative] = field(default_factory=list)

    def add(self, terms: tuple[str, ...], weight: float, via: str) -> None:
        if not terms:
            return
        for alt in self.alternatives:
            if alt.terms == terms:
                alt.weight = max(alt.weight, weight)
                return
        self.alternatives.append(Alternative(terms, weight, via))

    @property
    def terms(self) -> set[str]:
        return {t for alt in self.alternatives for t in alt.terms}


class VocabularyLike:  # pragma: no cover - typing aid
    df: dict[str, int]
    lexicon: frozenset[str]

    def correct(self, word: str) -> str | None: ...

    def with_prefix(self, prefix: str) -> list[str]: ...


def analyse_query(query: str, vocabulary) -> list[Concept]:
    """Turn what a citizen typed or said into weighted concepts over the index's terms."""
    # A bound on work per query: the first MAX_QUERY_WORDS content words (a long e-mail says it early).
    words = content_words(query)[:MAX_QUERY_WORDS]
    known = vocabulary.df

    def usable(terms: tuple[str, ...]) -> tuple[str, ...]:
        # An alternative counts only if the index holds all its words (else "algemene" alone would match).
        return terms if terms and all(t in known for t in terms) else ()

    table = synonym_table()
    concepts: list[Concept] = []
    by_primary: dict[str, Concept] = {}
    consumed: set[int] = set()

    # Multi-word synonyms first (longest match), e.g. "kamer van koophandel", "uit elkaar".
    stems = [stem(w) for w in words]
    phrase_concepts: list[Concept] = []
    for size in range(min(table.max_len, 4), 1, -1):
        for start in range(0, len(words) - size + 1):
            span = range(start, start + size)
            if consumed.intersection(span):
                continue
            key = tuple(stems[start : start + size])
            alternatives = table.lookup(key)
            if alternatives:
                concept = Concept(word=" ".join(words[start : start + size]))
                concept.add(usable(key), WEIGHT_EXACT, "exact")
                for alt in alternatives:
                    concept.add(usable(alt), WEIGHT_SYNONYM, "synonym")
                if concept.alternatives:
                    phrase_concepts.append(concept)
                    consumed.update(span)

    for index, word in enumerate(words):
        if index in consumed:
            continue
        term = stem(word)
        concept = by_primary.get(term)
        if concept is None:
            concept = Concept(word=word)
        in_index = term in known
        if in_index:
            concept.add((term,), WEIGHT_EXACT, "exact")
        else:
            _add_unknown_word(concept, word, term, vocabulary)
        for alt in table.lookup((term,)) or table.lookup((word,)):
            concept.add(usable(alt), WEIGHT_SYNONYM, "synonym")
        # A long known word may also be a compound the index holds in parts.
        if in_index and len(word) >= 10:
            parts = tuple(stem(p) for p in split_compound(word, vocabulary.lexicon))
            if parts and all(p in known for p in parts):
                concept.add(parts, WEIGHT_PART, "compound")
        if concept.alternatives and term not in by_primary:
            by_primary[term] = concept
            concepts.append(concept)

    # Split compounds typed as two words: "huur toeslag" -> huurtoeslag.
    for left, right in zip(words, words[1:], strict=False):
        for linker in ("", "s"):
            joined = left + linker + right
            term = stem(joined)
            if term in known and len(joined) >= MIN_COMPOUND:
                concept = Concept(word=joined)
                concept.add((term,), WEIGHT_JOINED, "joined")
                concepts.append(concept)
                break

    result = phrase_concepts + concepts
    # A term counts once: where the citizen said it, not again as another word's synonym
    # ("WW-uitkering": ww is its own concept, not also a synonym of uitkering).
    best: dict[str, float] = {}
    for concept in result:
        for alt in concept.alternatives:
            if len(alt.terms) == 1:
                best[alt.terms[0]] = max(best.get(alt.terms[0], 0.0), alt.weight)
    for concept in result:
        keep = [
            alt
            for alt in concept.alternatives
            if len(alt.terms) > 1 or alt.via == "exact" or alt.weight >= best[alt.terms[0]]
        ]
        concept.alternatives = keep
    # Words no article uses in its question or keywords rarely name the topic ("moment", "reparatie").
    for concept in result:
        for alt in concept.alternatives:
            if not any(t in vocabulary.topical for t in alt.terms):
                alt.weight *= WEIGHT_OFF_TOPIC
    return result


def _add_unknown_word(concept: Concept, word: str, term: str, vocabulary) -> None:
    """A word the index does not hold: try stem variants, compound parts, prefix and typo correction."""
    known = vocabulary.df
    # Participles and inflections the stemmer leaves alone: verhuisd -> verhuis, gebeld -> bel.
    variants = []
    if term.endswith(("d", "t")) and len(term) > 4:
        variants.append(term[:-1])
    if word.startswith("ge") and len(word) > 6:
        variants.extend([stem(word[2:]), stem(word[2:])[:-1]])
    for variant in variants:
        if variant in known:
            concept.add((variant,), WEIGHT_VARIANT, "variant")
            return
    parts = tuple(stem(p) for p in split_compound(word, vocabulary.lexicon))
    if parts and all(p in known for p in parts):
        # One alternative: an article holding both parts ("de huur van de woning") scores like the compound.
        concept.add(parts, WEIGHT_PART, "compound")
        return
    if len(term) >= 5:
        longer = vocabulary.with_prefix(term)
        if longer:
            for candidate in longer[:2]:
                concept.add((candidate,), WEIGHT_PREFIX, "prefix")
            return
    corrected = vocabulary.correct(word)
    if corrected:
        corrected_term = stem(corrected)
        if corrected_term in known:
            concept.add((corrected_term,), WEIGHT_TYPO, "typo")
