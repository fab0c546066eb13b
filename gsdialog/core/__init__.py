"""The core: workshops, step kinds, the live session and its results, in plain Python.

It imports no ring (store, phones, projector, export, command line) and no
Textual, aiohttp or Jinja2; the rings import it.
"""
