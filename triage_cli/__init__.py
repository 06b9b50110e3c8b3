"""The ``triage`` command: composes the commands that each package owns."""
