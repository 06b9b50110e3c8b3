"""Analysts' work: train and register models, evaluate them, write reports, manage the registry.

``train`` (split by time, fit, evaluate, register), ``evaluate`` (clinical metrics with
confidence intervals and the oracle comparison), ``report`` and ``model_card`` (what a
governance board reads), ``registry`` (atomic registration, promotion through the safety gate
of ``gate``, rollback) and ``commands`` (``triage train|evaluate|models``). Imports from
``triage`` only.
"""
