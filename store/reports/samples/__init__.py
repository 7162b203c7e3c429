"""Sample reports shipped with the package, so that a fresh install has something to answer from.

The seed report (a CGTN piece on the Idlib offensive) and a few short reports in the BBC layout,
written for reportbot, on made-up places and people.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def sample_paths() -> list[Path]:
    """The bundled report files, in name order."""
    folder = Path(str(files(__name__)))
    return sorted(p for p in folder.iterdir() if p.suffix in {".txt", ".md"})
