"""Alembic's environment: always given a live connection by bot/store/schema.py,
so there is no alembic.ini and no URL here."""

from alembic import context

from bot.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection, target_metadata=Base.metadata, render_as_batch=True
)  # SQLite alters tables by copying them
with context.begin_transaction():
    context.run_migrations()
