"""Every shortcut in the normaliser only skips work: opened, nothing reads differently.

``normalise`` and the answer passes it calls (``triage.text.answers``) run each rewrite only
when a cheap test says the text can hold what it rewrites ("gcs" in the text before the GCS
regex, a "?" before the vital questions), which is what keeps a narrative in tens of
microseconds. Such a test is a safety hazard when it is narrower than the rewrite: until
2026-12-06 the phrase table's test split words keeping apostrophes, so "he's 'spark out'"
(quoted, as handlers write what callers say) skipped the rewrite to "unconscious" unless another
key's first word happened to be in the text (85 of the 102 phrase keys, quoted alone, were not
read).

This test rebuilds those functions with every such test forced open (an ``if`` whose body only
reassigns the text runs always; an early ``return text`` never returns early), and reads a corpus
through both: every ratchet probe and harmless look-alike, the shared examples, SYNTHETIC history,
and each of them with words quoted, bracketed or in capitals. The one condition that is a
reading and not a shortcut ("74M" is an age and sex only in text not typed all in capitals) is
left as it is.
"""

from __future__ import annotations

import ast
import inspect
import json
import random
import re
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import triage.text.answers as answers
import triage.text.normalise as normalise_module
from triage.history.synth import generate
from triage.text import keyed

HERE = Path(__file__).parent
SOURCES = (
    HERE / "fixtures" / "rule_probes.jsonl",
    HERE / "fixtures" / "harmless_probes.jsonl",
    HERE.parent.parent / "shared" / "vignettes" / "examples.jsonl",
)
#: The answer passes ``normalise`` calls that have shortcuts of their own, each opened before
#: ``normalise`` is (``answer_measure_questions`` has none: it is one regex, behind the
#: normaliser's own).
ANSWER_PASSES = (
    "mark_transcript_questions",
    "answer_vital_questions",
    "answer_key_questions",
    "deny_key_questions",
    "affirm_key_questions",
    "join_key_values",
    "answer_age_questions",
    "join_checks_answered_none",
)
#: A condition that decides what the text means, not whether a rewrite can apply.
READINGS = ("isupper",)


class _Opener(ast.NodeTransformer):
    """Forces open every shortcut of one function; records what it opened."""

    def __init__(self, text_names: tuple[str, ...]) -> None:
        self.text_names = text_names
        self.opened: list[str] = []

    def _reassigns_text(self, stmt: ast.stmt) -> bool:
        if isinstance(stmt, ast.If):
            return True  # a nested shortcut, itself opened
        return (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and stmt.targets[0].id in self.text_names
        )

    def visit_If(self, node: ast.If) -> ast.AST:
        self.generic_visit(node)
        test = ast.unparse(node.test)
        if node.orelse or any(r in test for r in READINGS):
            return node
        body = node.body
        if all(self._reassigns_text(s) for s in body):
            node.test = ast.Constant(True)
            self.opened.append(test)
        elif (
            len(body) == 1
            and isinstance(body[0], ast.Return)
            and isinstance(body[0].value, ast.Name)
            and body[0].value.id in self.text_names
        ):
            node.test = ast.Constant(False)
            self.opened.append(test)
        return node


def _rebuilt(
    func: Callable[..., str], namespace: dict[str, Any], *, shortcuts_open: bool = True
) -> tuple[Callable[..., str], int]:
    """``func`` compiled again from its source, names resolved in ``namespace``, with its
    shortcuts open (or as written); and how many it opened."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(inspect.unwrap(func))))
    definition = tree.body[0]
    assert isinstance(definition, ast.FunctionDef)
    definition.decorator_list = []
    opener = _Opener(("t", "text", definition.args.args[0].arg))
    if shortcuts_open:
        tree = ast.fix_missing_locations(opener.visit(tree))
    scope = dict(namespace)
    exec(compile(tree, f"<{definition.name}, rebuilt>", "exec"), scope)
    return scope[definition.name], len(opener.opened)


def _open_normalise(
    scope: dict[str, Any] | None = None,
) -> tuple[Callable[[str], str], dict[str, int]]:
    """``normalise`` with its shortcuts and those of the answer passes it calls open."""
    counts: dict[str, int] = {}
    scope = dict(vars(normalise_module) if scope is None else scope)
    for name in ANSWER_PASSES:
        scope[name], counts[name] = _rebuilt(getattr(answers, name), vars(answers))
    scope["join_danger_values"], counts["join_danger_values"] = _rebuilt(
        keyed.join_danger_values, vars(keyed))
    scope["_slash_readings"], counts["_slash_readings"] = _rebuilt(
        normalise_module._slash_readings, scope)
    opened, counts["normalise"] = _rebuilt(normalise_module.normalise, scope)
    return opened, counts


def _narratives() -> list[str]:
    out: list[str] = []
    for path in SOURCES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                out.append(row.get("request", row)["narrative"])
    out.extend(generate(2_000, 20_261_206)["narrative"].to_list())  # SYNTHETIC
    return out


def _variants(text: str, rnd: random.Random) -> Iterator[str]:
    """The text, a copy with a run of one to four words quoted or bracketed, and one time in
    four the text in capitals."""
    yield text
    words = text.split(" ")
    i = rnd.randrange(len(words))
    j = min(len(words) - 1, i + rnd.randint(0, 3))
    opening = rnd.choice(["'", '"', "(", "\u2018"])
    quoted = list(words)
    quoted[i] = opening + quoted[i]
    quoted[j] = quoted[j] + {"(": ")", "\u2018": "\u2019"}.get(opening, opening)
    yield " ".join(quoted)
    if rnd.random() < 0.25:
        yield text.upper()


def test_every_shortcut_of_the_normaliser_only_skips_work() -> None:
    opened_normalise, counts = _open_normalise()
    # the rebuild found the shortcuts it must open (none of them silently left shut)
    assert counts["normalise"] >= 24, counts
    assert counts["_slash_readings"] == 4, counts
    assert all(counts[name] >= 1 for name in (*ANSWER_PASSES, "join_danger_values")), counts
    served = inspect.unwrap(normalise_module.normalise)
    rnd = random.Random(0)
    narratives = _narratives()
    assert len(narratives) > 20_000
    differ: list[str] = []
    for narrative in narratives:
        for text in _variants(narrative, rnd):
            expected = opened_normalise(text)
            if served(text) != expected:
                differ.append(f"{text!r}\n  served: {served(text)!r}\n  opened: {expected!r}")
    assert not differ, f"{len(differ)} text(s) read differently:\n" + "\n".join(differ[:10])


def test_a_shortcut_narrower_than_its_rewrite_is_caught() -> None:
    """The check can fail: the phrase table's shortcut as it was until 2026-12-06 (words split
    keeping their apostrophes) skips a quoted key that the opened normaliser reads."""
    text = "found him 'out for the count' on the floor"
    old_scope = dict(vars(normalise_module))
    old_scope["_ALNUM_RUN"] = re.compile(r"[a-z0-9']+").findall
    old_scope["_holds_a_phrase_key"], _ = _rebuilt(
        normalise_module._holds_a_phrase_key, old_scope, shortcuts_open=False
    )
    old, _ = _rebuilt(normalise_module.normalise, old_scope, shortcuts_open=False)
    opened, _ = _open_normalise(old_scope)
    assert old(text) == "found him 'out for the count' on the floor"
    assert opened(text) == "found him 'unconscious' on the floor"
    assert inspect.unwrap(normalise_module.normalise)(text) == opened(text)
