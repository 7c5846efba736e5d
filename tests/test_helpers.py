"""The test helpers themselves: a golden file is never written silently."""
from __future__ import annotations

import pytest
from _pytest.outcomes import Failed

from conftest import golden_json


def test_missing_golden_fails(tmp_path, monkeypatch):
    monkeypatch.delenv("SHOPBOOK_UPDATE_GOLDEN", raising=False)
    with pytest.raises(Failed, match="missing"):
        golden_json(tmp_path / "new.json", {"a": 1})
    assert not (tmp_path / "new.json").exists()


def test_update_flag_writes_golden(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPBOOK_UPDATE_GOLDEN", "1")
    assert golden_json(tmp_path / "new.json", {"a": 1}) == {"a": 1}
    assert (tmp_path / "new.json").exists()
