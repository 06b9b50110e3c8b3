"""Finding every phrase of the red-flag tables in a narrative's words, in one pass.

A word trie over the expanded phrases, plus position-by-position walks for phrases with many
alternatives; built by :func:`triage.rules.engine.compile_tables`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from triage.rules.phrases import (
    ANY,
    NUMBER_WORDS,
    SKIP,
    Num,
    Pos,
    alternatives,
    number_value,
    parse_phrase,
    without_fillers,
)

_DIGITS = frozenset("0123456789")

#: Narratives of at least this many words remember each walk of the trie by its context, so a
#: repeated context is walked once (crafted input); shorter ones just walk.
MEMO_MIN_WORDS = 150

#: A phrase with at most this many expansions goes into the word trie (fast, shares prefixes);
#: a longer one is walked position by position (bounded memory and build time). Measured on the
#: instruction guard (2026-12-02, after the plural reading widened many positions): 256 -> 261.4M
#: instructions per 200 requests, 512 -> 257.7M, 1024 -> 256.0M, 2048 -> 254.0M; the trie then
#: holds 30k, 40k, 61k and 100k+ expanded phrases, built at start-up (2048 cost about 0.9 s more
#: than 256). 512 takes most of the gain for a third more build work.
EXPAND_LIMIT = 512


#: A long phrase filed under one of its words: (concept, positions, that word's position, the
#: words one of which must follow it, or None; :func:`_next_words`).
LongEntry = tuple[str, tuple[Pos, ...], int, "frozenset[str] | None"]


def _next_words(positions: tuple[Pos, ...], q: int) -> frozenset[str] | None:
    """The words one of which must follow when a phrase's walk is at position ``q``: those of
    ``q`` and of each optional position after it, up to the first one that must be there.
    None when no such set decides: the phrase may end here (every position left is optional)
    or a number or wildcard position can take the next word. Checked before a walk starts, it
    spares the walks of the long phrases that their first word starts and their second ends
    (most of them: "officers" starts 21 long phrases)."""
    words: set[str] = set()
    for pos in positions[q:]:
        if pos.any or pos.nums:
            return None
        words |= pos.words
        if not pos.optional:
            return frozenset(words)
    return None


class Node:
    """A word trie over expanded phrases; numbers and wildcards are edges of their own."""

    __slots__ = ("any", "children", "concepts", "nums")

    def __init__(self) -> None:
        self.children: dict[str, Node] = {}
        self.nums: list[tuple[Num, Node]] = []
        self.any: Node | None = None
        self.concepts: list[str] = []

    def add(self, seq: tuple[str | Num, ...], concept: str) -> None:
        """Add one expanded phrase (a word sequence) as evidence of ``concept``."""
        node = self
        for tok in seq:
            node = node.child(tok)
        if concept not in node.concepts:
            node.concepts.append(concept)

    def child(self, tok: str | Num) -> Node:
        """The node after ``tok``, made if it is not there yet (as :meth:`add` makes it)."""
        if isinstance(tok, Num):
            nxt = next((nd for num, nd in self.nums if num == tok), None)
            if nxt is None:
                nxt = Node()
                self.nums.append((tok, nxt))
            return nxt
        if tok == ANY:
            if self.any is None:
                self.any = Node()
            return self.any
        nxt = self.children.get(tok)
        if nxt is None:
            nxt = self.children[tok] = Node()
        return nxt

    def add_positions(self, positions: tuple[Pos, ...], concept: str) -> int:
        """Add every expansion of ``positions`` (as :func:`expand` lists them, in its order) and
        return the words in the longest.

        The same trie as calling :meth:`add` on each expansion, built depth first: a shared
        prefix is walked once instead of once per expansion, which is most of the start-up
        time of the rule tables. ``tests/test_rules.py`` holds the two builds equal, on the
        shipped tables (``test_the_trie_built_depth_first_is_the_trie_of_every_expansion``) and
        on phrases the tables do not reach
        (``test_adding_positions_depth_first_equals_adding_every_expansion``)."""
        alts = alternatives(positions)
        last = len(alts)
        deepest = 0

        def visit(node: Node, p: int, depth: int) -> None:
            nonlocal deepest
            if p == last:
                if depth and concept not in node.concepts:
                    node.concepts.append(concept)
                deepest = max(deepest, depth)
                return
            for tok in alts[p]:
                if tok == SKIP:  # an optional position skipped: the next starts here
                    visit(node, p + 1, depth)
                else:
                    visit(node.child(tok), p + 1, depth + 1)

        visit(self, 0, 0)
        return deepest


class Matcher:
    """Finds every phrase of every concept in a list of words, overlaps included.

    Most phrases are expanded into a word trie (shared prefixes, one dict lookup per word).
    Phrases with many alternatives (more than EXPAND_LIMIT expansions, e.g. "fell|jumped|...
    from|off [the] first|second|... floor|storey [window]") are indexed by the words they can
    start with and walked position by position instead, so they cost no memory to expand.
    A phrase never runs across a clause break.
    """

    __slots__ = ("by_number", "depth", "long_next", "root")

    def __init__(self) -> None:
        self.root = Node()
        self.by_number: list[tuple[Num, str, tuple[Pos, ...], int]] = []
        #: The long phrases, filed by a word they can start with and the word after it: first
        #: word -> (the entries any next word, or none, lets walk, {next word -> the entries it
        #: lets walk}), each list in the order the phrases were added. A start looks only at
        #: the few entries its next word allows, not at each of the dozens its first word
        #: starts ("officers" starts 21). An entry is (concept, positions, the first word's
        #: position, the words the next must be one of or None: ``_next_words``).
        self.long_next: dict[str, tuple[list[LongEntry], dict[str, list[LongEntry]]]] = {}
        #: Words in the longest expanded phrase of the trie.
        self.depth = 1

    def add(
        self,
        phrase: str,
        concept: str,
        fillers: frozenset[str] = frozenset(),
        plurals: Mapping[str, str] | None = None,
    ) -> None:
        """Add ``phrase`` as evidence of ``concept``. ``plurals`` maps a phrase word to its "s"
        form when the tables spell that form too: the engine reads every other "s" form as the
        word itself (a bare clitic or a plural), so a phrase naming the word must accept the
        spelt form as well ("worst headache" matches "worst headaches" although another phrase
        names "headaches")."""
        positions = parse_phrase(phrase)
        if fillers:
            positions = without_fillers(positions, fillers, phrase)
        if plurals:
            positions = tuple(
                pos
                if pos.words.isdisjoint(plurals)
                else dataclasses.replace(
                    pos, words=pos.words | {plurals[w] for w in pos.words if w in plurals}
                )
                for pos in positions
            )
        # A leading optional position never decides whether a phrase is present (the rest
        # matches wherever the whole does), but left in, it multiplies the expansions and
        # makes a phrase that starts "[his|her|the] ..." a long one, walked at every "the".
        while len(positions) > 1 and positions[0].optional:
            positions = positions[1:]
        size = 1
        for pos in positions:
            size *= len(pos.words) + len(pos.nums) + pos.any + pos.optional
        if size <= EXPAND_LIMIT:
            self.depth = max(self.depth, self.root.add_positions(positions, concept))
            return
        for p, pos in enumerate(positions):
            gate = _next_words(positions, p + 1)
            for w in pos.words:
                self._index_next(w, (concept, positions, p, gate))
            for num in pos.nums:
                self.by_number.append((num, concept, positions, p))
            if not pos.optional:
                break

    def _index_next(self, word: str, entry: LongEntry) -> None:
        """File ``entry`` (a long phrase started by ``word``) under the next words it allows,
        keeping every list in the order the entries were added."""
        anyway, by_next = self.long_next.setdefault(word, ([], {}))
        gate = entry[3]
        if gate is None:  # any next word, or none: it joins every list
            anyway.append(entry)
            for entries in by_next.values():
                entries.append(entry)
            return
        for nxt in gate:
            filed = by_next.get(nxt)
            if filed is None:
                filed = by_next[nxt] = list(anyway)
            filed.append(entry)

    def _walk(
        self,
        first: Node,
        i: int,
        words: list[str],
        breaks: list[bool],
        value_at: dict[int, float],
        edges: dict[tuple[int, float], list[Node]],
        out: list[tuple[str, int, int]],
    ) -> None:
        """Append to ``out`` every (concept, ``i``, end word) of the trie below ``first``, the
        node of word ``i``."""
        n = len(words)
        stack = [(first, i + 1)]
        while stack:
            node, j = stack.pop()
            for c in node.concepts:
                out.append((c, i, j))
            if j >= n or breaks[j - 1]:
                continue
            w = words[j]
            child = node.children.get(w)
            if child is not None:
                stack.append((child, j + 1))
            if node.nums:
                v = value_at.get(j)
                if v is not None:
                    key = (id(node), v)
                    hit = edges.get(key)
                    if hit is None:
                        hit = edges[key] = [nd for num, nd in node.nums if num.lo <= v <= num.hi]
                    stack.extend((nd, j + 1) for nd in hit)
            if node.any is not None:
                stack.append((node.any, j + 1))

    def matches(self, words: list[str], breaks: list[bool]) -> list[tuple[str, int, int]]:
        """Every ``(concept, first word, end word)`` found in ``words``: the trie's phrases
        (in start order), then the long phrases walked position by position."""
        # (word index, value) of every number word, parsed once for both kinds of phrase
        numbers = [
            (i, v)
            for i, w in enumerate(words)
            if (w[0] in _DIGITS or w in NUMBER_WORDS) and (v := number_value(w)) is not None
        ]
        # a number's value, and the number edges it takes, are worked out once per distinct
        # value: a narrative of a thousand numbers costs a thousand dict look-ups, not a
        # thousand scans of every number edge
        value_at = dict(numbers)
        edges: dict[tuple[int, float], list[Node]] = {}
        starts = self._trie_starts(words, breaks, numbers, value_at, edges)
        out = self._walk_starts(starts, words, breaks, value_at, edges)
        out.extend(self._long_matches(words, breaks, numbers))
        return out

    def _trie_starts(
        self,
        words: list[str],
        breaks: list[bool],
        numbers: list[tuple[int, float]],
        value_at: dict[int, float],
        edges: dict[tuple[int, float], list[Node]],
    ) -> list[tuple[int, Node]]:
        """(word index, trie node) of every place a trie phrase can start."""
        n = len(words)
        root = self.root
        children = root.children
        # a start whose node holds no concept and whose next word (in the same clause) takes
        # none of its edges finds nothing: most starts ("he", "the", "on" begin many phrases)
        # are dropped here rather than walked
        starts: list[tuple[int, Node]] = []
        for i, w in enumerate(words):
            nd = children.get(w)
            if nd is None:
                continue
            if nd.concepts or nd.any is not None or (
                i + 1 < n
                and not breaks[i]
                and (words[i + 1] in nd.children or (nd.nums and i + 1 in value_at))
            ):
                starts.append((i, nd))
        if not root.nums:
            return starts
        value_at_words = {words[i] for i in value_at}
        for i, v in numbers:
            key = (id(root), v)
            hit = edges.get(key)
            if hit is None:
                hit = edges[key] = [nd for num, nd in root.nums if num.lo <= v <= num.hi]
            # only edges that can match here: a concept ends at the number, or the next
            # word (in the same clause) continues the edge
            nxt = words[i + 1] if i + 1 < n and not breaks[i] else None
            starts.extend(
                (i, nd)
                for nd in hit
                if nd.concepts
                or (
                    nxt is not None
                    and (
                        nxt in nd.children
                        or nd.any is not None
                        or (nd.nums and nxt in value_at_words)
                    )
                )
            )
        return starts

    def _walk_starts(
        self,
        starts: list[tuple[int, Node]],
        words: list[str],
        breaks: list[bool],
        value_at: dict[int, float],
        edges: dict[tuple[int, float], list[Node]],
    ) -> list[tuple[str, int, int]]:
        """Every trie match from ``starts``, in start order.

        A walk from a start depends only on the start node and the next `depth` words and
        breaks, so a repeated context (a crafted narrative of a thousand "gcs 8") is walked
        once: the cost stays linear in the narrative's length whatever it repeats.
        """
        out: list[tuple[str, int, int]] = []
        if len(words) < MEMO_MIN_WORDS:  # an ordinary narrative: walking costs less
            for i, first in starts:
                self._walk(first, i, words, breaks, value_at, edges, out)
            return out
        depth = self.depth
        walked: dict[tuple[int, tuple[str, ...], tuple[bool, ...]], list[tuple[str, int]]] = {}
        here: list[tuple[str, int, int]] = []
        for i, first in starts:
            context = (id(first), tuple(words[i + 1 : i + depth]), tuple(breaks[i : i + depth]))
            found = walked.get(context)
            if found is None:
                here.clear()
                self._walk(first, i, words, breaks, value_at, edges, here)
                found = walked[context] = [(c, e - i) for c, _, e in here]
            out.extend((c, i, i + k) for c, k in found)
        return out

    def _long_matches(
        self, words: list[str], breaks: list[bool], numbers: list[tuple[int, float]]
    ) -> list[tuple[str, int, int]]:
        """Matches of the long phrases, walked position by position from their first word."""
        n = len(words)
        out: list[tuple[str, int, int]] = []
        long_next = self.long_next
        long_starts: list[tuple[int, list[LongEntry]]] = []
        for i, w in enumerate(words):
            entry = long_next.get(w)
            if entry is not None:
                # only the entries the next word (in the same clause) can continue
                anyway, by_next = entry
                if i + 1 < n and not breaks[i]:
                    long_starts.append((i, by_next.get(words[i + 1], anyway)))
                elif anyway:
                    long_starts.append((i, anyway))
        if self.by_number:
            long_edges: dict[float, list[LongEntry]] = {}
            for i, v in numbers:
                lhit = long_edges.get(v)
                if lhit is None:
                    lhit = long_edges[v] = [
                        (c, ps, p, None)
                        for num, c, ps, p in self.by_number
                        if num.lo <= v <= num.hi
                    ]
                if lhit:
                    long_starts.append((i, lhit))
        for i, candidates in long_starts:
            for concept, positions, p, _ in candidates:
                _walk_long(concept, positions, p, i, words, breaks, out)
        return out


def _walk_long(concept: str, positions: tuple[Pos, ...], p: int, i: int, words: list[str],
               breaks: list[bool], out: list[tuple[str, int, int]]) -> None:
    """Append to ``out`` every end of ``positions`` from its position ``p`` at word ``i``.

    A depth-first walk in the order of a stack of (position, word) states where an optional
    position pushes its skip, then its match: the match, pushed last, would be popped next, so
    it is followed at once and only the skip is kept for later (and a required position, which
    pushes at most its match, keeps nothing). The same states in the same order as pushing
    both, so the same matches in the same order, without a tuple and a pop per word."""
    n = len(words)
    last = len(positions)
    pending: list[tuple[int, int]] = []
    q, j = p + 1, i + 1
    while True:
        if q == last:
            out.append((concept, i, j))
        else:
            pos = positions[q]
            if j < n and not breaks[j - 1] and (
                words[j] in pos.words or pos.any or (pos.nums and pos.accepts(words[j]))
            ):
                if pos.optional:
                    pending.append((q + 1, j))
                q += 1
                j += 1
                continue
            if pos.optional:
                q += 1
                continue
        if not pending:
            return
        q, j = pending.pop()
