"""Text analysis shared by indexing and querying, independent of the database.

Documents and queries go through the same steps (normalise, tokenise, drop stop words, Dutch snowball
stem, split compounds against the corpus lexicon), so both backends compare the same terms. Queries
additionally get synonym expansion, joining of split compounds, stem variants, prefix and typo
correction against the vocabulary of the index (see `analyse_query`).

The work per query is bounded by design, whoever sends it (issue 15: one long word could stop the
server): only the first MAX_ANALYSED_CHARS characters and MAX_QUERY_WORDS content words are analysed,
a word longer than MAX_WORD_LENGTH is taken as typed (no real Dutch word is that long), compounds are
split in one left-to-right pass over the split points (a few dozen lookups per word, never more than
MAX_SPLIT_LOOKUPS), splitting, prefix and typo lookups share a budget of MAX_QUERY_LOOKUPS per query,
and a query yields at most MAX_QUERY_TERMS distinct terms. `Work` counts the lookups.
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
MAX_PARTS = 4  # arbeids-ongeschiktheids-verzekering has three; the corpus' most is four
MAX_SUFFIX = 5  # letters an inflected compound part may run past the lexicon word it begins (-ings, -heid)

# Bounds on the work per query (see the module docstring). The longest word of the shipped corpus has 33
# letters (arbeidsongeschiktheidsverzekering), the longest question of the evaluation sets 171 characters.
MAX_QUERY_LENGTH = 500  # characters the public search API accepts
MAX_ANALYSED_CHARS = 5_000  # characters of any door's text that are analysed (a long e-mail says it early)
MAX_QUERY_WORDS = 60
MAX_WORD_LENGTH = 48  # longer: a term as typed, not stemmed, split, joined, extended or corrected
MAX_SPLIT_LOOKUPS = 300  # per word split (the corpus' hardest word takes 133)
MAX_QUERY_LOOKUPS = 1_000  # per query, for compound parts, prefixes and typos (the evaluation sets' most: 387)
MAX_QUERY_TERMS = 64  # distinct terms per query (each costs the ranking a posting list or a ts_rank; most: 22)


class Work:
    """Vocabulary lookups spent by one query's analysis, against its budget: the lookups whose number
    grows with a word's length (compound parts, prefix scans, typo probes). A step is taken only if the
    budget can pay for its worst case, so `lookups` never exceeds `budget`. (The few lookups per word
    of the exact term and its synonyms are bounded by MAX_QUERY_WORDS.)"""

    def __init__(self, budget: int = MAX_QUERY_LOOKUPS):
        self.budget = budget
        self.lookups = 0

    def spend(self, lookups: int) -> None:
        self.lookups += lookups

    def can_afford(self, lookups: int) -> bool:
        return self.lookups + lookups <= self.budget


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


def stem(word: str) -> str:
    """Snowball Dutch stem with doubled vowels collapsed, so that the open and closed syllable forms
    meet (toeslagen -> toeslaag -> toeslag, aanvragen -> aanvraag -> aanvrag). A word longer than
    MAX_WORD_LENGTH is no word: it stays as it is (and stays out of the cache)."""
    if word.isdigit() or len(word) <= 3 or len(word) > MAX_WORD_LENGTH:
        return word
    return _stem_cached(word)


@functools.lru_cache(maxsize=200_000)
def _stem_cached(word: str) -> str:
    return _DOUBLE_VOWEL.sub(r"\1", _STEMMER.stemWord(word))


def content_words(text: str) -> list[str]:
    """Tokens without stop words, in order."""
    stop = stopwords()
    return [t for t in tokenise(text) if t not in stop and (len(t) > 1 or t.isdigit())]


@functools.lru_cache(maxsize=200_000)
def _split_cached(word: str, lexicon_id: int) -> tuple[tuple[str, ...], int]:
    return _split(word, _LEXICONS[lexicon_id], _PREFIXES[lexicon_id])


_LEXICONS: dict[int, frozenset[str]] = {}
_PREFIXES: dict[int, frozenset[str]] = {}


def register_lexicon(lexicon: frozenset[str]) -> int:
    """Give a lexicon an id for the split cache (a few lexicons live per process), with the set of
    the beginnings of its words that lets the split stop reading as soon as no word can follow."""
    key = id(lexicon)
    if key not in _LEXICONS:
        if len(_LEXICONS) > 8:
            _LEXICONS.clear()
            _PREFIXES.clear()
            _split_cached.cache_clear()
        _PREFIXES[key] = frozenset(w[:end] for w in lexicon for end in range(MIN_PART, len(w) + 1))
        _LEXICONS[key] = lexicon
    return key


# Verb prefixes are not compound heads: verwijzing is not ver + wijzing, verlening not ver + lening.
_NOT_A_HEAD = frozenset({"ver", "ont", "her", "mis", "be", "ge"})


def _split(word: str, lexicon: frozenset[str], prefixes: frozenset[str]) -> tuple[tuple[str, ...], int]:
    """Best split of a compound into known parts and the lookups it took: ((), n) if there is none.

    One pass over the split points, left to right: `reach[start]` is the best way to read the word
    up to `start` (where a part may begin, after a linking s/e/en/er) as known parts. From each
    reachable start the word is read on only while it is (up to MAX_SUFFIX letters) the beginning of
    a lexicon word, a few lookups per start, plus one or two for the rest of the word as the last
    part. A part is known as written or by its stem (zorgtoeslagen: toeslagen -> toeslag).
    Fewest parts wins (at most MAX_PARTS); among equals the longest last part, then the linker order
    (as the recursive split this replaces chose: the first cut from the left, "" before s/e/en/er).
    After MAX_SPLIT_LOOKUPS lookups the best split found so far stands."""
    length = len(word)
    lookups = 0
    # reach[start] = (parts so far, linker rank, start of the last part); reach[0] is the word's beginning.
    reach: list[tuple | None] = [None] * (length + 1)
    reach[0] = (0, 0, 0)
    parts_of: dict[int, tuple[str, ...]] = {0: ()}
    best: tuple[str, ...] = ()
    for start in range(length - MIN_TAIL + 1):
        state = reach[start]
        if state is None:
            continue
        if lookups > MAX_SPLIT_LOOKUPS - 2:
            break
        count = state[0]
        if count and (not best or count + 1 < len(best)):
            # The rest of the word as the last part (the longest last part comes first: start ascends).
            tail = word[start:]
            lookups += 1
            known = tail in lexicon
            if not known:
                lookups += 1
                known = stem(tail) in lexicon
            if known:
                best = (*parts_of[start], tail)
                if len(best) == 2:
                    break
        if count + 1 >= MAX_PARTS or (best and count + 2 >= len(best)):
            continue  # a further part cannot make a better split from here
        # A part that is not the last (known as written or by its stem), a linker, then at least a tail.
        # Read on only while the part begins some lexicon word, or did so at most MAX_SUFFIX letters
        # ago (verwijder-ing-s: the lexicon may hold only the stem of an inflected part).
        last_prefix = 0
        for end in range(start + MIN_PART, length - MIN_TAIL + 1):
            if lookups > MAX_SPLIT_LOOKUPS - 3:
                break
            part = word[start:end]
            lookups += 1
            if part in prefixes:
                last_prefix = end
            elif not last_prefix or end - last_prefix > MAX_SUFFIX:
                break
            if part in _NOT_A_HEAD:
                continue
            lookups += 1
            known = part in lexicon
            if not known:
                lookups += 1
                known = stem(part) in lexicon
            if not known:
                continue
            for rank, linker in enumerate(_LINKERS):
                following = end + len(linker)
                if following > length - MIN_TAIL or not word.startswith(linker, end):
                    continue
                candidate = (count + 1, rank, start)
                if reach[following] is None or candidate < reach[following]:
                    reach[following] = candidate
                    parts_of[following] = (*parts_of[start], part)
    return best, lookups


def split_compound(word: str, lexicon: frozenset[str], work: Work | None = None) -> tuple[str, ...]:
    """huurtoeslag -> (huur, toeslag) when both parts are in the lexicon (words or stems of the corpus).

    With `work`, the lookups are counted against the query's budget; once it is spent, () (not split)."""
    if len(word) < MIN_COMPOUND or len(word) > MAX_WORD_LENGTH:
        return ()
    if work is not None and not work.can_afford(MAX_SPLIT_LOOKUPS):
        return ()
    parts, lookups = _split_cached(word, register_lexicon(lexicon))
    if work is not None:
        # The same price whether cached or not: what a query finds must not depend on what ran before.
        work.spend(lookups)
    return parts


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

    def correct(self, word: str, work: Work | None = None) -> str | None: ...

    def with_prefix(self, prefix: str, work: Work | None = None) -> list[str]: ...


def analyse_query(query: str, vocabulary, work: Work | None = None) -> list[Concept]:
    """Turn what a citizen typed or said into weighted concepts over the index's terms.

    Bounded work whatever the input (see the module docstring); pass a `Work` to see what it took."""
    work = work if work is not None else Work()
    # The first MAX_QUERY_WORDS content words of the first MAX_ANALYSED_CHARS characters.
    words = content_words(query[:MAX_ANALYSED_CHARS])[:MAX_QUERY_WORDS]
    known = vocabulary.df

    def usable(terms: tuple[str, ...]) -> tuple[str, ...]:
        # An alternative counts only if the index holds all its words (else "algemene" alone would match).
        return terms if terms and all(t in known for t in terms) else ()

    table = synonym_table()
    concepts: list[Concept] = []
    by_primary: dict[str, Concept] = {}
    consumed: set[int] = set()
    said_at: dict[int, int] = {}  # id(concept) -> index of its (first) word in the question

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
                    said_at[id(concept)] = start
                    consumed.update(span)

    # Words are analysed until they hold MAX_QUERY_TERMS terms; the rest could add no new term.
    said_terms = {t for concept in phrase_concepts for t in concept.terms}
    analysed = len(words)
    for index, word in enumerate(words):
        if len(said_terms) >= MAX_QUERY_TERMS:
            analysed = index
            break
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
            _add_unknown_word(concept, word, term, vocabulary, work)
        for alt in table.lookup((term,)) or table.lookup((word,)):
            concept.add(usable(alt), WEIGHT_SYNONYM, "synonym")
        # A long known word may also be a compound the index holds in parts.
        if in_index and len(word) >= 10:
            parts = tuple(stem(p) for p in split_compound(word, vocabulary.lexicon, work))
            if parts and all(p in known for p in parts):
                concept.add(parts, WEIGHT_PART, "compound")
        if concept.alternatives and term not in by_primary:
            by_primary[term] = concept
            concepts.append(concept)
            said_at[id(concept)] = index
        said_terms |= concept.terms

    # Split compounds typed as two words: "huur toeslag" -> huurtoeslag.
    for index, (left, right) in enumerate(zip(words[:analysed], words[1:analysed], strict=False)):
        for linker in ("", "s"):
            joined = left + linker + right
            if not MIN_COMPOUND <= len(joined) <= MAX_WORD_LENGTH or not work.can_afford(1):
                continue
            work.spend(1)
            term = stem(joined)
            if term in known:
                concept = Concept(word=joined)
                concept.add((term,), WEIGHT_JOINED, "joined")
                concepts.append(concept)
                said_at[id(concept)] = index
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
    return _cap_terms(result, said_at)


def _cap_terms(concepts: list[Concept], said_at: dict[int, int]) -> list[Concept]:
    """At most MAX_QUERY_TERMS distinct terms, taken in the order the citizen said the words: an
    alternative that would add terms beyond it is dropped, and so is a concept left without any."""
    terms: set[str] = set()
    for concept in sorted(concepts, key=lambda c: said_at[id(c)]):
        alternatives = []
        for alt in concept.alternatives:
            new = set(alt.terms) - terms
            if len(terms) + len(new) <= MAX_QUERY_TERMS:
                terms |= new
                alternatives.append(alt)
        concept.alternatives = alternatives
    return [concept for concept in concepts if concept.alternatives]


def _add_unknown_word(concept: Concept, word: str, term: str, vocabulary, work: Work) -> None:
    """A word the index does not hold: try stem variants, compound parts, prefix and typo correction.

    A word longer than MAX_WORD_LENGTH is none of these: it is looked up as typed, nothing more."""
    if len(word) > MAX_WORD_LENGTH:
        return
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
    parts = tuple(stem(p) for p in split_compound(word, vocabulary.lexicon, work))
    if parts and all(p in known for p in parts):
        # One alternative: an article holding both parts ("de huur van de woning") scores like the compound.
        concept.add(parts, WEIGHT_PART, "compound")
        return
    if len(term) >= 5:
        longer = vocabulary.with_prefix(term, work)
        if longer:
            for candidate in longer[:2]:
                concept.add((candidate,), WEIGHT_PREFIX, "prefix")
            return
    corrected = vocabulary.correct(word, work)
    if corrected:
        corrected_term = stem(corrected)
        if corrected_term in known:
            concept.add((corrected_term,), WEIGHT_TYPO, "typo")
