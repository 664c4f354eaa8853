"""The kinds of report, each declared in one module: its fields (what each means, its type,
the words that name it), what a header must name, and how its rows are read and stored.

Detection, the command line's and the Upload page's kind lists, storing and matching names
again read these declarations (registry.py lists them): adding a kind is adding its module and
naming it there.
"""
