"""control-room-triage core: the request contract, features, model, decision policy, predictor and
reading the model registry; its sub-packages ``text`` (reading control-room text), ``rules``
(red-flag rules and their tables) and ``history`` (synthetic history and the export loader).

This package imports nothing from ``training``, ``service`` or ``triage_cli``; each sub-package
says in its docstring what it may import (tests/test_architecture.py checks both).
"""

__version__ = "0.1.0"
