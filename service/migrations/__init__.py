"""Alembic migrations of the audit store, shipped in the package and applied at startup."""
