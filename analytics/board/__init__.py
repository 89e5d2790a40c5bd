"""The board deck (layer 6): slides as data, then PowerPoint and PDF, and the exports.

May import the layers below (`charts`, `indicators`, `store`, ...); never the services or the UI.
"""
