"""The store (layer 3): tables, Alembic migrations, register versions, the audit log,
the differences between two versions and their history.

May import the layers below (foundation, `reference`, `register`, `access`, `sample`).
"""
