"""Alembic environment: always run on the connection ``service.store_db.migrate`` hands over.

There is no alembic.ini: the store builds the Alembic config in code (``script_location`` is
this folder), so the migrations travel inside the installed package.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
