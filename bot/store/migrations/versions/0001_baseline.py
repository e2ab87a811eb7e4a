"""The store as the first release made it (before migrations): the baseline.

A store made by that release has these tables and no alembic_version; it is
stamped with this revision and upgraded from here.

Revision ID: 0001
Revises:
"""

from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(128)


def upgrade() -> None:
    op.create_table(
        "clients",
        sa.Column("id", ID, primary_key=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("intro_shown_at", sa.DateTime),
        sa.Column("current_flow", sa.String(32)),
        sa.Column("current_run", sa.String(64)),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client_id", ID, nullable=False, index=True),
        sa.Column("flow", sa.String(32), nullable=False),
        sa.Column("run", sa.String(64), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("value", sa.Text),
        sa.Column("message_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("client_id", "message_id", "field", name="uq_answer_message"),
    )
    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client_id", ID, nullable=False, index=True),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("layer", sa.String(32), nullable=False),
        sa.Column("message_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("acknowledged_at", sa.DateTime),
        sa.Column("acknowledged_by", sa.String(128)),
        sa.UniqueConstraint("client_id", "message_id", name="uq_escalation_message"),
    )
    op.create_table(
        "private_answers",
        sa.Column("client_id", ID, primary_key=True),
        sa.Column("flow", sa.String(32), primary_key=True),
        sa.Column("run", sa.String(64), primary_key=True),
        sa.Column("field", sa.String(64), primary_key=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "clinicians",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(128), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("disabled_at", sa.DateTime),
    )
    op.create_table(
        "assignments",
        sa.Column("client_id", ID, primary_key=True),
        sa.Column("clinician_id", sa.Integer, nullable=False, index=True),
        sa.Column("assigned_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "portal_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("clinician_id", sa.Integer, nullable=False, index=True),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(160), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("client_id", ID, index=True),
        sa.Column("detail", sa.String(255)),
    )
    op.create_table(
        "erasures",
        sa.Column("client_id", ID, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "used_tokens",
        sa.Column("jti", sa.String(64), primary_key=True),
        sa.Column("expires_at", sa.DateTime, nullable=False, index=True),
    )


def downgrade() -> None:
    for table in (
        "used_tokens",
        "erasures",
        "audit_log",
        "portal_sessions",
        "assignments",
        "clinicians",
        "private_answers",
        "escalations",
        "answers",
        "clients",
    ):
        op.drop_table(table)
