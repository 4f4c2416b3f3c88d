"""Shared Streamlit helpers: the only part of salesops that imports streamlit."""
