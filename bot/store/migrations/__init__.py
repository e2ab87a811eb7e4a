"""Schema migrations of the reflections store (Alembic). See bot/store/schema.py."""
