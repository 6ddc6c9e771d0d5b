"""Checking that every internal link and asset of a built site resolves to a file.

``check_links(output, siteurl)`` reads every HTML file once (linear in the size of the site)
and returns the problems as French sentences, sorted; an empty list means every internal
``href``, ``src``, ``srcset`` and ``poster`` leads somewhere. External http(s) links,
``mailto:``, ``tel:``, ``data:`` URLs and pure ``#fragments`` are ignored; a folder URL
(``/offres/``) must hold an ``index.html``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

_TAG = re.compile(r"<(?:a|area|link|img|script|source|iframe|audio|video|track|embed|image|use|input)\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""\s(href|src|srcset|poster|xlink:href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_IGNORED_SCHEMES = ("mailto:", "tel:", "data:", "javascript:", "blob:", "sms:", "geo:", "webcal:", "about:")


def check_links(output: Path, siteurl: str) -> list[str]:
    """Problems (French, one per broken link and page) of the site built in ``output``."""
    output = Path(output)
    siteurl = (siteurl or "").rstrip("/")
    site = urlsplit(siteurl)
    prefix = site.path.rstrip("/")  # a site published under a sub-path: /depot
    exists: dict[str, bool] = {}
    problems: list[str] = []
    for page in sorted(output.rglob("*.html")):
        rel = page.relative_to(output).as_posix()
        page_url = f"{prefix}/{rel}"
        text = page.read_text(encoding="utf-8", errors="replace")
        seen: set[str] = set()
        for tag in _TAG.finditer(text):
            for m in _ATTR.finditer(tag.group(0)):
                raw = html.unescape(m.group(2) if m.group(2) is not None else m.group(3) if m.group(3) is not None else m.group(4))
                urls = _srcset_urls(raw) if m.group(1).lower() == "srcset" else [raw.strip()]
                for url in urls:
                    if url in seen:
                        continue
                    seen.add(url)
                    problem = _check_one(url, page_url, site, siteurl, prefix, output, exists)
                    if problem:
                        problems.append(f"{rel} : {problem}")
    return problems


def _srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def _check_one(url: str, page_url: str, site, siteurl: str, prefix: str, output: Path, exists: dict[str, bool]) -> str | None:
    if not url or url.startswith("#") or url.lower().startswith(_IGNORED_SCHEMES):
        return None
    parts = urlsplit(url)
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        return None
    if parts.netloc:  # absolute or protocol-relative: internal only on the site's own host
        if not siteurl or parts.netloc.lower() != site.netloc.lower() or (parts.scheme and site.scheme and parts.scheme.lower() != site.scheme.lower()):
            return None
        path = parts.path or "/"
    else:
        path = urlsplit(urljoin(page_url, url)).path
    if prefix:
        if path != prefix and not path.startswith(prefix + "/"):
            return f"le lien « {url} » sort du site (attendu : une adresse commençant par {prefix}/)."
        path = path[len(prefix):] or "/"
    rel = unquote(path).lstrip("/")
    if ".." in rel.split("/"):
        return f"le lien « {url} » remonte au-dessus de la racine du site."
    candidates = [rel + "index.html"] if rel == "" or rel.endswith("/") else [rel, rel + "/index.html"]
    for candidate in candidates:
        found = exists.get(candidate)
        if found is None:
            found = exists[candidate] = (output / candidate).is_file()
        if found:
            return None
    return f"le lien « {url} » ne mène à aucun fichier (attendu : {candidates[0]})."
