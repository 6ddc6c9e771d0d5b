"""Compare two built sites file by file, byte for byte.

    python tools/compare_outputs.py AVANT/ APRES/

Lists the files present on one side only and the files that differ, and exits 1 if any.
Pagefind's filter files are left out: they change from one build to the next (a known
limit of Pagefind, see the README), so they cannot prove anything.
"""

from __future__ import annotations

import fnmatch
import hashlib
import sys
from pathlib import Path

# Pagefind's nondeterministic files (README, « identité à l'octet près »).
# fnmatch's « * » also matches « / »; the patterns cover the .gz and .br copies too.
IGNORED = ("pagefind/filter/*", "pagefind/*.pf_meta*", "pagefind/pagefind-entry.json*")


def ignored(relative: str) -> bool:
    return any(fnmatch.fnmatchcase(relative, pattern) for pattern in IGNORED)


def digests(root: Path) -> dict[str, str]:
    """File path (relative, POSIX) → SHA-256 of its bytes, for every file not ignored."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and not ignored(relative):
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def compare(before: Path, after: Path) -> list[str]:
    """One line per difference: only before, only after, or differing content."""
    old, new = digests(before), digests(after)
    lines = [f"seulement avant : {p}" for p in sorted(old.keys() - new.keys())]
    lines += [f"seulement après : {p}" for p in sorted(new.keys() - old.keys())]
    lines += [f"différent : {p}" for p in sorted(old.keys() & new.keys()) if old[p] != new[p]]
    return lines


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    before, after = (Path(a) for a in argv)
    for folder in (before, after):
        if not folder.is_dir():
            print(f"« {folder} » n'est pas un dossier.", file=sys.stderr)
            return 2
    differences = compare(before, after)
    for line in differences[:200]:
        print(line)
    if len(differences) > 200:
        print(f"… et {len(differences) - 200} autres.")
    count = len(digests(before))
    print(
        f"{count} fichiers comparés : " + ("identiques." if not differences else f"{len(differences)} différence(s).")
    )
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
