"""tools/compare_outputs.py: proves two builds byte-identical, Pagefind's filter files aside."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tree(root: Path, files: dict[str, bytes]) -> Path:
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def _compare(before: Path, after: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "tools" / "compare_outputs.py"), str(before), str(after)],
        capture_output=True,
        encoding="utf-8",
    )


def test_identical_trees_pass_even_when_pagefind_filters_differ(tmp_path):
    common = {"index.html": b"<p>a</p>", "offres/x/index.html": b"x"}
    before = _tree(
        tmp_path / "a",
        {
            **common,
            "pagefind/filter/fr_1.pf_filter": b"1",
            "pagefind/pagefind-entry.json": b"1",
            "pagefind/pagefind.fr_1.pf_meta": b"1",
        },
    )
    after = _tree(
        tmp_path / "b",
        {
            **common,
            "pagefind/filter/fr_2.pf_filter": b"2",
            "pagefind/pagefind-entry.json": b"2",
            "pagefind/pagefind.fr_2.pf_meta": b"2",
        },
    )
    result = _compare(before, after)
    assert result.returncode == 0, result.stdout
    assert "2 fichiers comparés : identiques." in result.stdout


def test_a_changed_missing_or_new_file_fails(tmp_path):
    before = _tree(
        tmp_path / "a", {"index.html": b"<p>a</p>", "gone.txt": b"x", "pagefind/fragment/f.pf_fragment": b"1"}
    )
    after = _tree(tmp_path / "b", {"index.html": b"<p>b</p>", "new.txt": b"y", "pagefind/fragment/f.pf_fragment": b"2"})
    result = _compare(before, after)
    assert result.returncode == 1
    assert "différent : index.html" in result.stdout
    assert "seulement avant : gone.txt" in result.stdout
    assert "seulement après : new.txt" in result.stdout
    # Only the filter files are exempt: Pagefind's other files must match.
    assert "différent : pagefind/fragment/f.pf_fragment" in result.stdout
