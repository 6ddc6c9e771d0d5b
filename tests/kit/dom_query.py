"""Reading built pages in tests with a real HTML5 parser (tinyhtml5) and CSS selectors (cssselect2)."""

from __future__ import annotations

import re
from pathlib import Path

import cssselect2
import tinyhtml5


class Node:
    def __init__(self, wrapper: cssselect2.ElementWrapper):
        self.wrapper = wrapper
        self.element = wrapper.etree_element

    @property
    def tag(self) -> str:
        return self.element.tag.rsplit("}", 1)[-1]

    @property
    def text(self) -> str:
        """Visible text, whitespace collapsed."""
        return re.sub(r"\s+", " ", "".join(self.element.itertext())).strip()

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.element.get(name, default)

    def all(self, selector: str) -> list[Node]:
        return [Node(w) for w in self.wrapper.query_all(selector)]

    def one(self, selector: str) -> Node:
        found = self.all(selector)
        assert len(found) == 1, f"{selector}: {len(found)} éléments trouvés, 1 attendu"
        return found[0]


def parse(path: Path) -> Node:
    root = tinyhtml5.parse(Path(path).read_text(encoding="utf-8"))
    return Node(cssselect2.ElementWrapper.from_html_root(root))
