"""Checking that every internal link and asset of a built site resolves to a file.

Run by `invoke publish` before anything is published: one broken link stops the publication.
The site's files and pages are the output registry's (outputs.py, saved with the site); only
the pages themselves are read, for their links.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .outputs import Registry

# Attributes that point to another resource, per tag (``srcset`` holds several URLs).
LINK_ATTRIBUTES = {"href", "src", "srcset", "poster", "data"}
IGNORED_SCHEMES = ("mailto:", "tel:", "data:", "javascript:", "sms:", "geo:")
# Folders never published (hosting configuration), never linked to.
UNPUBLISHED = ("_hebergement",)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None or name not in LINK_ATTRIBUTES:
                continue
            if name == "data" and tag != "object":
                continue
            if name == "srcset":
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url:
                        self.found.append((line, url))
            else:
                self.found.append((line, value.strip()))

    handle_startendtag = handle_starttag


def _published_files(registry: Registry) -> set[str]:
    return {o.path for o in registry if not o.path.startswith(UNPUBLISHED)}


def _resolve(url: str, page: str, prefix: str) -> str | None:
    """The file path (relative to the site root) ``url`` points to, or None if not internal."""
    if not url or url.startswith("#") or url.lower().startswith(IGNORED_SCHEMES):
        return None
    if prefix and (
        url == prefix or url.startswith(prefix + "/") or url.startswith(prefix + "?") or url.startswith(prefix + "#")
    ):
        url = url[len(prefix) :] or "/"
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None  # another site
    path = unquote(parts.path)
    if not path:
        return None  # "?q=…" on the same page
    if path.startswith("/"):
        segments = path.split("/")[1:]
    else:
        segments = page.split("/")[:-1] + path.split("/")
    stack: list[str] = []
    for segment in segments:
        if segment in ("", "."):
            continue
        if segment == "..":
            if stack:
                stack.pop()
            continue
        stack.append(segment)
    resolved = "/".join(stack)
    if path.endswith("/") or not stack:
        resolved = f"{resolved}/index.html" if resolved else "index.html"
    return resolved


def check_links(output: Path, siteurl: str) -> list[str]:
    """Problems (in French) for every internal href/src/srcset of every HTML page of the site
    built in ``output`` that leads to no file. Folder URLs are served by their index.html."""
    output = Path(output)
    prefix = (siteurl or "").rstrip("/")
    files = _published_files(Registry.load(output))
    problems = []
    for page in sorted(f for f in files if f.endswith(".html")):
        parser = _Links()
        parser.feed((output / page).read_text(encoding="utf-8", errors="replace"))
        for line, url in parser.found:
            target = _resolve(url, page, prefix)
            if target is None or target in files:
                continue
            if f"{target}/index.html" in files:
                continue  # /offres → offres/index.html (the server redirects)
            problems.append(f"{page}:{line} : le lien « {url} » ne mène à aucun fichier du site (cherché : {target}).")
    return problems
