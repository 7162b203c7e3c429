"""Fixtures shared by the whole suite: where the read-only material in ../shared lives."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} not found: the shared corpus must sit beside the project root")
    return path


@pytest.fixture(scope="session")
def bbc_dir() -> Path:
    return _require(SHARED / "corpus" / "bbc")


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return _require(SHARED / "corpus" / "seed" / "idlib-offensive.txt")


@pytest.fixture(scope="session")
def dev_dir() -> Path:
    return _require(SHARED / "dev")
