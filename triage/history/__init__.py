"""Historic requests: the synthetic history and the one validated way a real export comes in.

Owns: the generator (``synth`` with ``synth_rows`` and ``synth_phrases``; its scenario
catalogue ``synth_catalogue*`` and ``synth_scenario``; ``synth_text``, ``synth_time``,
``synth_stats``; ``triage synth`` in ``synth_command``), ``demand`` (the published weekly
demand), ``drift`` (synthetic drift for rehearsals) and the loader (``loader`` with
``loader_read`` and ``loader_fields``; ``triage validate`` in ``loader_command``).

May import: nothing of the project but ``triage.schema`` and the two utilities every writer of
files and every command share, ``triage.files`` (atomic writes) and ``triage.exits`` (exit
codes). tests/test_architecture.py checks it.
"""
