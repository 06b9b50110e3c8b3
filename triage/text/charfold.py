"""Pasted text, folded to the letters a reader sees: the first step of every narrative's reading.

Call handlers paste from CAD logs, e-mails, chat and PDFs. What arrives may carry characters a
person cannot see or tell apart, and any of them inside "unconscious" used to hide a red flag:

* format characters (Unicode category Cf: zero-width space and joiners, soft hyphen, word
  joiner, byte-order mark, bidirectional marks) are removed: they are invisible by design;
* compatibility forms (ligatures such as "ﬁ", full-width letters, superscripts, non-breaking
  and other Unicode spaces) are folded by NFKD to their plain forms, and combining marks
  (accents) are dropped, so "unconsciоus" with an accent or a ligature reads as ASCII;
* look-alike letters of other alphabets (Cyrillic "о", "е", "с", "р", Greek "ο", "ν"...) are
  mapped to the Latin letter they are confusable with, using the Unicode consortium's
  confusables table as shipped by the ``confusable-homoglyphs`` package (its data file, read
  once on first use);
* control characters and every kind of whitespace become a single ASCII space.

The fold is deliberately lossy (a Russian surname becomes Latin look-alike letters): this text
is read for clinical meaning, never shown back. The original narrative is what the audit keeps.
ASCII text skips the Unicode work, which keeps the common case in the microseconds.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from importlib import resources

__all__ = ["confusable_table", "fold"]

#: Categories removed outright: format (Cf), combining marks (Mn, Me), private use (Co),
#: unassigned (Cn) and lone surrogates (Cs, which a JSON body can carry as "\\ud800").
_DROP = frozenset({"Cf", "Mn", "Me", "Co", "Cn", "Cs"})
#: Categories that become a space: separators (Z*). Controls (Cc) that are whitespace (tab,
#: newline...) become a space; the rest (NUL, escape, DEL...) are invisible and are removed.
_SPACE = frozenset({"Zs", "Zl", "Zp"})
#: ASCII controls that are not whitespace: removed on the ASCII fast path too.
_ASCII_INVISIBLE = {i: None for i in (*range(0, 9), *range(14, 28), 127)}


@cache
def confusable_table() -> dict[int, str]:
    """Non-ASCII character -> the lower-case ASCII letter it is confusable with.

    Built from the Unicode confusables data that ``confusable_homoglyphs`` ships
    (``confusables.json``): every single character whose listed homoglyphs include one ASCII
    letter maps to that letter. Raises RuntimeError naming the file if the data is missing or
    malformed, so a broken install fails at start-up rather than reading text wrongly.
    """
    try:
        raw = resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text(
            encoding="utf-8"
        )
        data = json.loads(raw)
    except (OSError, ModuleNotFoundError, ValueError) as e:
        raise RuntimeError(
            f"The confusables table (confusable_homoglyphs/confusables.json) cannot be read: {e}"
        ) from e
    if not isinstance(data, dict):
        raise RuntimeError("confusable_homoglyphs/confusables.json is not a JSON object.")
    table: dict[int, str] = {}
    for char, entries in data.items():
        if len(char) != 1 or char.isascii() or not isinstance(entries, list):
            continue
        for entry in entries:
            glyph = entry.get("c") if isinstance(entry, dict) else None
            if isinstance(glyph, str) and len(glyph) == 1 and glyph.isascii() and glyph.isalpha():
                table[ord(char)] = glyph.lower()
                break
    table.update({ord(k): v for k, v in _SMALL_CAPS_LOOK_ALIKES.items() if ord(k) not in table})
    return table


#: Cyrillic and Greek lower-case letters that read as Latin letters in most fonts but that the
#: Unicode table omits (they look like small capitals): typed by people switching keyboards.
_SMALL_CAPS_LOOK_ALIKES = {
    "к": "k", "κ": "k", "м": "m", "т": "t", "в": "b", "н": "h",
    "п": "n", "г": "r", "ї": "i", "ґ": "r",
}  # fmt: skip


@cache
def _fold_char(ch: str) -> str:
    """One non-ASCII character (already NFKD-decomposed) -> what a reader sees, or ''."""
    table = confusable_table()
    mapped = table.get(ord(ch))
    if mapped is None:
        # the text is lower-cased after folding: a capital whose lower case is a look-alike
        # ("Γ" -> "γ" -> "y") folds now, or a second reading would fold it differently
        lower = ch.lower()
        if len(lower) == 1 and lower != ch:
            mapped = table.get(ord(lower))
    if mapped is not None:
        return mapped
    cat = unicodedata.category(ch)
    if ch.isspace() or cat in _SPACE:
        return " "
    if cat in _DROP or cat == "Cc":
        return ""
    return ch


def fold(text: str) -> str:
    """``text`` with invisible characters removed, look-alikes and compatibility forms folded,
    and every run of whitespace or control characters collapsed to one space (no leading or
    trailing space). Idempotent: ``fold(fold(t)) == fold(t)``.

    Linear in the length of the text (no regular expression), so a narrative padded with
    thousands of unusual spaces costs what its length costs.
    """
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c if c.isascii() else _fold_char(c) for c in decomposed)
    text = text.translate(_ASCII_INVISIBLE)
    # str.split() with no argument splits on every whitespace class, ASCII controls included
    words = text.split()
    if (
        len(words) >= MIN_SPACED_LETTERS
        and len("".join(words)) < 2 * len(words)  # pieces under two characters long on average
        and _letter_spaced(words)
    ):
        joined = _join_letter_spaced(text.strip())
        if joined is not None:
            return joined
    return " ".join(words)


#: A narrative letter-spaced throughout ("h e  i s  n o t  b r e a t h i n g", pasted from an
#: app that spaces letters out, or typed so): at least this many pieces, most of them one
#: character. Its letters stand the narrowest gap apart and its words wider gaps apart, so each
#: run between wider gaps is joined back into a word; read as written, no phrase of the red-flag
#: tables could match it (a fourth red team, 2026-12-04: "not breathing" spaced out had no
#: flag). Read as written: a narrative with one spaced-out word among ordinary ones (its
#: letters are too few of its pieces), one whose gaps are all one width (where its words end
#: is not shown; joining nothing keeps ``fold`` idempotent), and one of under ten pieces: a
#: review (2026-12-04) found short spaced-out codes, "reg  C P R  1 2 3", joined into words
#: the rules read.
MIN_SPACED_LETTERS = 10
_GAP_RE = re.compile(r"\s+")


def _letter_spaced(words: list[str]) -> bool:
    """Whether three quarters or more of ``words`` are single characters."""
    singles = sum(1 for w in words if len(w) == 1)
    return 4 * singles >= 3 * len(words)


def _join_letter_spaced(text: str) -> str | None:
    """``text`` (letter-spaced, stripped) with the letters of each word joined, or None when
    every gap is as wide as every other (where its words end is not shown). The narrowest gap
    is the one between letters; each run of pieces between wider gaps is a word, joined when
    every piece of it is one character."""
    pieces = _GAP_RE.split(text)
    gaps = [m.group() for m in _GAP_RE.finditer(text)]
    narrow = min(len(g) for g in gaps)
    if all(len(g) == narrow for g in gaps):
        return None
    words: list[str] = []
    run = [pieces[0]]
    for gap, piece in zip(gaps, pieces[1:], strict=True):
        if len(gap) == narrow:
            run.append(piece)
        else:
            words.append(_unspace(run))
            run = [piece]
    words.append(_unspace(run))
    return " ".join(words)


def _unspace(run: list[str]) -> str:
    """One run of a letter-spaced narrative: its characters joined if each stands alone."""
    if len(run) > 1 and all(len(p) == 1 for p in run):
        return "".join(run)
    return " ".join(run)
