"""Clinicians: an admin flag (the portal's admin pages); the per-account lock's
columns go (failed sign-ins are throttled per address instead).

Revision ID: 0002
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clinicians") as table:
        table.add_column(sa.Column("is_admin", sa.Boolean, nullable=False, server_default=sa.false()))
        table.drop_column("failed_logins")
        table.drop_column("locked_until")


def downgrade() -> None:
    with op.batch_alter_table("clinicians") as table:
        table.add_column(sa.Column("locked_until", sa.DateTime))
        table.add_column(sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"))
        table.drop_column("is_admin")
