"""Bundled data shipped inside the package: the sample notes, service catalogs and exam syllabi.

Read with :mod:`importlib.resources` through :mod:`graph.sources.bundled`, never by path arithmetic.
"""
