"""Red-flag rules: time-critical findings that force ``deploy`` whatever the model says.

Owns: the tables, which are data files a clinical safety officer reads and diffs
(``flags.toml``, ``concepts.toml``, ``guards.toml``, beside the code), ``tables`` (reading and
validating them), ``phrases`` (the tables' phrase language), ``matcher`` (every phrase found in
one pass over a narrative's words) and ``engine`` (``read_request``, ``detect_red_flags``).

May import: ``triage.text``, ``triage.schema`` and ``triage.suggestion``; nothing else of the
project. tests/test_architecture.py checks it.
"""
