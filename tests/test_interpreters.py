"""Finding the Pythons: pyenv's installs are taken as they are, not through its shims."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from portcheck import interpreters


def fake_python(path: Path, version: str) -> None:
    """A script that answers the version probe as that Python would."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\nprintf '%s {' '.join(version.split('.'))}' \"$0\"\n")
    path.chmod(0o755)


@pytest.fixture
def pyenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A pyenv root holding 2.7.9 and 2.7.18, its shims first on PATH; a shim that runs leaves a mark."""
    for version in ("2.7.9", "2.7.18"):
        fake_python(tmp_path / "versions" / version / "bin" / "python2.7", version)
    shim = tmp_path / "shims" / "python2.7"
    shim.parent.mkdir()
    shim.write_text(f'#!/usr/bin/env bash\ntouch {tmp_path}/shim-ran\nexec "{tmp_path}/libexec/pyenv" exec "$@"\n')
    shim.chmod(0o755)
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path))
    monkeypatch.setenv("PATH", f"{shim.parent}:/usr/bin:/bin")
    monkeypatch.delenv(interpreters.LEGACY_PYTHON_VARIABLE, raising=False)
    interpreters.interpreter.cache_clear()
    yield tmp_path
    interpreters.interpreter.cache_clear()


def test_the_newest_pyenv_install_is_found_without_running_its_shim(pyenv: Path) -> None:
    found = interpreters.find_python2()
    assert found is not None
    assert found.version == (2, 7, 18)
    assert not (pyenv / "shim-ran").exists()


def test_a_shim_is_still_tried_when_pyenv_has_no_such_install(pyenv: Path) -> None:
    for install in (pyenv / "versions").glob("2.7.*/bin/python2.7"):
        install.unlink()
    assert interpreters.find_python2() is None  # the shim ran, and found nothing to run
    assert (pyenv / "shim-ran").exists()
