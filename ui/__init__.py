"""Streamlit helpers shared by the pages: language, cached data access, small widgets."""
