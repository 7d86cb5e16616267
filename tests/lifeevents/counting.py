"""Counting the search analysis' work instead of timing it (issue 15): every lookup in the lexicon, the
document frequencies and the typo index of a vocabulary, and every stem computed. A counter gives up
(fails the test) far beyond any bound, so code whose work explodes fails at once instead of running
for minutes."""

import dataclasses
from contextlib import contextmanager
from unittest import mock

from lifeevents.search import analysis

GIVE_UP = 200_000


class Lookups:
    def __init__(self):
        self.count = 0

    def add(self):
        self.count += 1
        if self.count > GIVE_UP:
            raise AssertionError(f"more than {GIVE_UP} lookups: the analysis' work is not bounded")


class CountingSet(frozenset):
    counter: Lookups

    def __contains__(self, item):
        self.counter.add()
        return super().__contains__(item)


class CountingDict(dict):
    counter: Lookups

    def __contains__(self, key):
        self.counter.add()
        return super().__contains__(key)

    def get(self, key, default=None):
        self.counter.add()
        return super().get(key, default)


def counting_lexicon(lexicon, counter: Lookups) -> CountingSet:
    counting = CountingSet(lexicon)
    counting.counter = counter
    return counting


def counted_vocabulary(vocabulary, counter: Lookups):
    """The vocabulary with its lexicon, document frequencies and typo index counting their lookups."""
    df, deletes = CountingDict(vocabulary.df), CountingDict(vocabulary._deletes)
    df.counter = deletes.counter = counter
    counted = dataclasses.replace(vocabulary, lexicon=counting_lexicon(vocabulary.lexicon, counter), df=df)
    counted._deletes = deletes
    return counted


@contextmanager
def counting_stems(counter: Lookups):
    """Every call of analysis.stem counts (the split looks parts up by their stem)."""
    real = analysis.stem

    def stem(word):
        counter.add()
        return real(word)

    with mock.patch.object(analysis, "stem", stem):
        yield
