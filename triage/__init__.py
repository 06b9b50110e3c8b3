"""control-room-triage core: the request contract, text and features, red-flag rules, the
predictor and decision policy, data loading, synthetic history, and reading the model registry.

This package imports nothing from ``training`` or ``service``.
"""

__version__ = "0.1.0"
