"""Samiksha: the district review dashboard's core (intake, store, rules, queries, CLI).

This package never imports Streamlit: the app's pages call into it.
"""

__version__ = "0.1.0"
