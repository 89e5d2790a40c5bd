"""What pages and the command line share (layer 7): ingest an upload, edit reference data.

May import every layer below; never `streamlit` or `ui`.
"""
