"""Hosting configuration generated with the site (post-processing steps, in this order):

1. ``fingerprint_assets``: theme CSS/JS get a content hash in their name (site.<hash8>.css) and
   every HTML page is rewritten to use it, so they can be cached for a year;
2. ``write_robots_and_sitemap``: robots.txt and sitemap.xml (pages marked noindex, 404.html
   and /admin/ are left out);
3. ``write_hosting_rules``: security and cache headers as ``_headers`` (Netlify, Cloudflare
   Pages) and as an nginx snippet in ``_hebergement/nginx.conf`` (never published: include it
   from the server's configuration);
4. ``precompress``: .gz and .br copies of text files, for servers that serve them as they are.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from .config import Config
from .routes import HOSTING_DIR, address

if TYPE_CHECKING:
    from .run import Run

FINGERPRINTED = re.compile(r"\.[0-9a-f]{8}\.(?:css|js)$")
COMPRESSED_SUFFIXES = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".ics", ".geojson", ".csv"}
HTML_CACHE = "public, max-age=300, must-revalidate"
ASSET_CACHE = "public, max-age=31536000, immutable"
OTHER_CACHE = "public, max-age=3600"


# --- 1. Fingerprinting -------------------------------------------------------------------


def fingerprint_assets(run: Run, say) -> None:
    """Copy theme/**/*.css|js to name.<hash8>.ext (the plain name stays for anything that loads
    it by name) and point every HTML page at the hashed copy."""
    output, site = run.output, run.site
    theme = output / "theme"
    if not site.config.TERRITOIRE_EMPREINTES or not theme.is_dir():
        return
    renames: dict[str, str] = {}
    assets = [p for p in sorted(theme.rglob("*")) if p.suffix in (".css", ".js") and p.is_file()]
    for path in _imports_first([p for p in assets if not FINGERPRINTED.search(p.name)]):
        data = path.read_bytes()
        if path.suffix == ".js":
            # The hashed copy of an ES module imports the hashed copies of its modules: a module
            # that changes changes the name of every module that imports it.
            data = _MODULE_IMPORT.sub(lambda m, p=path: _hashed_import(m, p, output, renames), data.decode()).encode()
        digest = hashlib.sha256(data).hexdigest()[:8]
        hashed = path.with_name(f"{path.stem}.{digest}{path.suffix}")
        hashed.write_bytes(data)
        renames["/" + path.relative_to(output).as_posix()] = "/" + hashed.relative_to(output).as_posix()
    if not renames:
        return
    # One pass per page: a single alternation of every asset path, longest first.
    pattern = re.compile("|".join(re.escape(k) for k in sorted(renames, key=len, reverse=True)) + r"(?=[\"'?#\s>])")
    for page in (output / o.path for o in run.outputs if o.path.endswith(".html")):
        text = page.read_text(encoding="utf-8")
        new = pattern.sub(lambda m: renames[m.group(0)], text)
        if new != text:
            page.write_text(new, encoding="utf-8")
    say(f"  {len(renames)} feuilles de style et scripts nommés d'après leur contenu (cache d'un an).")


# « import … from "./commun.js" » and « import("./x.js") »: a module's relative imports.
_MODULE_IMPORT = re.compile(r"""(\bfrom\s*|\bimport\s*\(?\s*)(["'])(\.{1,2}/[^"'\s]+\.js)\2""")


def _imports(path: Path) -> list[Path]:
    text = path.read_text(encoding="utf-8") if path.suffix == ".js" else ""
    return [(path.parent / m.group(3)).resolve() for m in _MODULE_IMPORT.finditer(text)]


def _imports_first(paths: list[Path]) -> list[Path]:
    """The assets in an order where every module comes after the modules it imports."""
    known = {p.resolve(): p for p in paths}
    done: dict[Path, Path] = {}

    def visit(path: Path, seen: frozenset) -> None:
        if path in done or path in seen:
            return
        for imported in _imports(path):
            if imported in known:
                visit(imported, seen | {path})
        done[path] = known[path]

    for path in known:
        visit(path, frozenset())
    return list(done.values())


def _hashed_import(match: re.Match, module: Path, output: Path, renames: dict[str, str]) -> str:
    target = "/" + (module.parent / match.group(3)).resolve().relative_to(output.resolve()).as_posix()
    if target not in renames:
        return match.group(0)
    relative = os.path.relpath(output / renames[target].lstrip("/"), module.parent).replace(os.sep, "/")
    return (
        f"{match.group(1)}{match.group(2)}{relative if relative.startswith('.') else './' + relative}{match.group(2)}"
    )


# --- 2. robots.txt and sitemap.xml ---------------------------------------------------------


def _page_url(rel: str) -> str:
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def write_robots_and_sitemap(run: Run, say) -> None:
    """sitemap.xml lists the pages the output registry marks for it (outputs.py): every page
    of the views and of Pelican but 404.html, /admin/ and those marked noindex."""
    output, site = run.output, run.site
    siteurl = site.config.SITEURL.rstrip("/")
    urls = [f"{siteurl}/{_page_url(page.path)}" for page in run.outputs.sitemap()]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{escape(u)}</loc></url>" for u in urls]
    lines.append("</urlset>")
    (output / "sitemap.xml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    robots = ["User-agent: *", f"Disallow: /{address('admin')}", ""]
    if siteurl:
        robots.append(f"Sitemap: {siteurl}/sitemap.xml")
    (output / "robots.txt").write_text("\n".join(robots).rstrip("\n") + "\n", encoding="utf-8")
    say(f"  plan du site : {len(urls)} pages dans sitemap.xml.")


# --- 3. Security and cache headers ----------------------------------------------------------


def _tile_origin(template: str | None) -> str:
    """The tile server's origin for the Content-Security-Policy ("" when no tiles are set)."""
    parts = urlsplit(template or "")
    host = parts.netloc.replace("{s}.", "*.")
    return f"{parts.scheme}://{host}" if parts.scheme and host else ""


def security_headers(config: Config) -> list[tuple[str, str]]:
    tiles = _tile_origin(config.TERRITOIRE_CARTE_TUILES)
    csp = "; ".join(
        [
            "default-src 'self'",
            "img-src 'self' data:" + (f" {tiles}" if tiles else ""),
            # Pagefind's search runs WebAssembly: 'wasm-unsafe-eval' allows that and nothing inline.
            "script-src 'self' 'wasm-unsafe-eval'",
            "style-src 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )
    headers = [
        ("Content-Security-Policy", csp),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(self), payment=(), usb=(), interest-cohort=()"),
        ("X-Frame-Options", "DENY"),
    ]
    if str(config.SITEURL).startswith("https://"):
        # Served over HTTPS: browsers keep to it for a year (no http:// page an attacker on the
        # network could rewrite). Only the site's own host: subdomains may serve other things.
        headers.append(("Strict-Transport-Security", HSTS))
    return headers


HSTS = "max-age=31536000"


# Decap CMS (/admin/) evaluates code and injects styles, and talks to the Git host's API:
# only that page gets a relaxed policy.
ADMIN_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob: https:",
        "connect-src 'self' https://api.github.com https://github.com https://gitlab.com",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
    ]
)


def admin_headers(headers: list[tuple[str, str]], connect: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """/admin/'s headers; ``connect``: more origins the CMS may call (the preview's local
    backend, never the published site's)."""
    csp = ADMIN_CSP.replace("connect-src 'self'", " ".join(["connect-src 'self'", *connect]))
    return [(n, csp if n == "Content-Security-Policy" else v) for n, v in headers]


def local_backend_origins(setting: bool | dict) -> tuple[str, ...]:
    """The origin of Decap's local backend (decap-server) that TERRITOIRE_CMS_LOCAL_BACKEND names:
    Decap calls http://localhost:8081 when the setting is True, else the « url » given."""
    if not setting:
        return ()
    default = "http://localhost:8081/api/v1"
    parts = urlsplit(setting.get("url", default) if isinstance(setting, dict) else default)
    return (f"{parts.scheme}://{parts.netloc}",)


# Images, opened at their own address, are documents too (an SVG can hold script): they run
# nothing, load nothing and are sandboxed; styles inside an SVG drawing still apply.
IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
IMAGE_SUFFIXES = "png|jpe?g|gif|webp|avif|svg|ico"


def image_headers(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(n, IMAGE_CSP if n == "Content-Security-Policy" else v) for n, v in headers]


def _nginx_snippet(headers: list[tuple[str, str]]) -> str:
    def block(cache: str, headers: list[tuple[str, str]] = headers) -> str:
        lines = [f'        add_header {name} "{value}" always;' for name, value in headers]
        lines.append(f'        add_header Cache-Control "{cache}" always;')
        return "\n".join(lines)

    return f"""# Generated with the site (plugins/territoire/hosting.py): do not edit, rebuild instead.
# Include it inside a `server {{ … }}` block whose `root` is the published folder:
#     include /path/to/output/_hebergement/nginx.conf;
charset utf-8;
index index.html;
gzip_static on;
error_page 404 /404.html;
# A folder with no index.html (images, theme, search index: the build gives every folder of
# pages one, views/folders.py) gets the 404 page, not the server's raw « 403 Forbidden ».
error_page 403 =404 /404.html;

# Fingerprinted assets (name.<hash8>.css|js): their content never changes.
location ~* "\\.[0-9a-f]{{8}}\\.(css|js)$" {{
{block(ASSET_CACHE)}
        try_files $uri =404;
}}

# Photos named after their content (images.py: name-960.<hash10>.webp): never change either.
location ~* "\\.[0-9a-f]{{10}}\\.({IMAGE_SUFFIXES})$" {{
{block(ASSET_CACHE, image_headers(headers))}
        try_files $uri =404;
}}

location = /404.html {{
        internal;
{block(HTML_CACHE)}
}}

location /{HOSTING_DIR}/ {{
        return 404;
}}

# The CMS page needs its own policy (see ADMIN_CSP); never cached for long.
location /{address("admin")} {{
{block(HTML_CACHE, admin_headers(headers))}
        try_files $uri $uri/ =404;
}}

# Images: an hour, and a policy of their own (see IMAGE_CSP).
location ~* "\\.({IMAGE_SUFFIXES})$" {{
{block(OTHER_CACHE, image_headers(headers))}
        try_files $uri =404;
}}

# Other files (PDF, calendars, data): an hour.
location ~* "\\.(pdf|ics|json|geojson|csv|xml|txt|woff2?)$" {{
{block(OTHER_CACHE)}
        try_files $uri =404;
}}

# Pages (folder URLs are served by their index.html): five minutes, revalidated.
location / {{
{block(HTML_CACHE)}
        try_files $uri $uri/ =404;
}}
"""


# Photos named after their content, in the _headers file (Netlify, Cloudflare Pages): these
# hosts match paths with one « * » and no regular expression, so the rule is « every WebP under
# /images/ » (every picture of a page is drawn from WebP variants, images.py), then an exception
# for each WebP at its own address (a .webp source's copy, which keeps its name when it changes).
HASHED_PHOTO = re.compile(r"\.[0-9a-f]{10}\.webp$")


def _netlify_headers(headers: list[tuple[str, str]], plain_webp: list[str] = ()) -> str:
    """``plain_webp``: the site's paths of WebP photos not named after their content."""
    lines = ["# Generated with the site: security and cache headers (Netlify, Cloudflare Pages).", "/*"]
    lines += [f"  {name}: {value}" for name, value in headers]
    lines.append(f"  Cache-Control: {OTHER_CACHE}")
    for pattern, cache in (("/*.html", HTML_CACHE), ("/", HTML_CACHE), ("/*/", HTML_CACHE)):
        lines += [pattern, "  ! Cache-Control", f"  Cache-Control: {cache}"]
    lines += ["/theme/*", "  ! Cache-Control", f"  Cache-Control: {ASSET_CACHE}"]
    lines += [f"/{address('admin')}*", "  ! Content-Security-Policy", f"  Content-Security-Policy: {ADMIN_CSP}"]
    for pattern in ("/images/*", "/*.svg"):
        lines += [pattern, "  ! Content-Security-Policy", f"  Content-Security-Policy: {IMAGE_CSP}"]
    lines += ["/images/*.webp", "  ! Cache-Control", f"  Cache-Control: {ASSET_CACHE}"]
    for path in plain_webp:
        lines += [f"/{path}", "  ! Cache-Control", f"  Cache-Control: {OTHER_CACHE}"]
    return "\n".join(lines) + "\n"


def write_hosting_rules(run: Run, say) -> None:
    output, site = run.output, run.site
    headers = security_headers(site.config)
    plain_webp = sorted(
        o.path
        for o in run.outputs
        if o.path.startswith("images/") and o.path.endswith(".webp") and not HASHED_PHOTO.search(o.path)
    )
    (output / "_headers").write_text(_netlify_headers(headers, plain_webp), encoding="utf-8")
    folder = output / HOSTING_DIR
    folder.mkdir(exist_ok=True)
    (folder / "nginx.conf").write_text(_nginx_snippet(headers), encoding="utf-8")
    say(f"  en-têtes de sécurité et de cache : _headers et {HOSTING_DIR}/nginx.conf.")


# --- 4. Pre-compression -----------------------------------------------------------------------


def precompress(run: Run, say) -> None:
    """gzip (mtime 0: deterministic) and brotli copies next to each text file."""
    output, site = run.output, run.site
    if not site.config.TERRITOIRE_PRECOMPRESSION:
        return
    try:
        import brotli
    except ImportError:  # pragma: no cover - brotli is pinned in requirements.txt
        brotli = None
    quality = site.config.TERRITOIRE_BROTLI_QUALITE
    count = 0
    for path in sorted(output.rglob("*")):
        rel = path.relative_to(output).as_posix()
        # Pagefind's own index files (.pf_*, .pagefind) come compressed already; its scripts,
        # styles and JSON do not (pagefind-ui.js, pagefind-ui.css…), and nginx serves only
        # precompressed copies (gzip_static).
        if path.suffix not in COMPRESSED_SUFFIXES or not path.is_file() or rel.startswith(HOSTING_DIR):
            continue
        data = path.read_bytes()
        path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
        if brotli is not None:
            path.with_name(path.name + ".br").write_bytes(brotli.compress(data, quality=quality))
        count += 1
    say(f"  {count} fichiers précompressés (.gz, .br).")
