"""The data that ships inside the package: sample notes, service catalogs and exam syllabi.

The files live in the repository's ``data/`` folder, which is installed as the package
``graph.data`` (see ``pyproject.toml``), so they are found the same way from a source checkout,
an editable install and a wheel: through :mod:`importlib.resources`, never by walking up from
``__file__``. pip and pipx install packages unpacked, so the resource folder is a real folder and
is handed on as a :class:`~pathlib.Path` (note reading walks folders and names files by path).

>>> (CATALOG_DIR / "aws-services.json").is_file()
True
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["BUNDLED_NOTES", "CATALOG_DIR", "DATA_DIR", "SYLLABI_DIR"]

#: The installed data folder (``graph.data``).
DATA_DIR = Path(str(files("graph.data")))
#: The sample notes the CLI and the app use when given none.
BUNDLED_NOTES = DATA_DIR / "notes"
#: Generated service catalogs and their hand-written overrides.
CATALOG_DIR = DATA_DIR / "catalog"
#: Exam syllabi (in-scope service lists), one ``.txt`` file each.
SYLLABI_DIR = DATA_DIR / "syllabi"
