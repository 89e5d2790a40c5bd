"""The deterministic sample registers (layer 2), labelled sample data.

May import the foundation modules and `reference`.
"""
