"""A writable copy of ``demo/data/`` for tests that break a file on purpose."""

import shutil
from pathlib import Path

import pytest

from demo import data_files
from demo.data_files import DemoDataError


class DemoDataCopy:
    def __init__(self, root: Path):
        self.root = root

    def edit(self, relative_path: str, old: str, new: str) -> None:
        """Replace the first ``old`` in the file with ``new`` (``old`` must be there)."""
        path = self.root / relative_path
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {relative_path}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    @staticmethod
    def error(load) -> str:
        """The message of the ``DemoDataError`` that ``load()`` raises (none fails the test)."""
        with pytest.raises(DemoDataError) as caught:
            load()
        return str(caught.value)


@pytest.fixture
def demo_data(tmp_path, monkeypatch) -> DemoDataCopy:
    """Point the demo loaders at a copy of the real data files, to edit in the test."""
    root = tmp_path / "data"
    shutil.copytree(data_files.DATA_DIR, root)
    monkeypatch.setattr(data_files, "DATA_DIR", root)
    return DemoDataCopy(root)
