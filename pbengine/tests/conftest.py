from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pabulib"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: expensive comparison with pabutools")


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not DATA.is_dir():
        pytest.skip(f"shared Pabulib data not found at {DATA}")
    return DATA
