"""Shared fixtures: the sample site built once at a fixed date, scratch projects for broken
content, a local HTTP server, and Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tools/
sys.path.insert(0, str(ROOT / "tests" / "kit"))  # dom_query, shared with the kit's tests

from territoire.build import build, check, read_settings  # noqa: E402

# The sample content is written for this date: tests never depend on the real clock.
BUILD_DATE = "2026-11-22"
CHROMIUM = Path("/usr/bin/chromium")
NGINX = Path("/usr/sbin/nginx")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The sample site, built once per test session at BUILD_DATE."""
    output = tmp_path_factory.mktemp("site") / "output"
    build(output=str(output), date=BUILD_DATE, quiet=True)
    return output


@pytest.fixture(scope="session")
def sample_site():
    """The loaded sample content (offers, partners, events) at BUILD_DATE."""
    import datetime as dt

    return check(read_settings(overrides={"TERRITOIRE_BUILD_DATE": dt.date.fromisoformat(BUILD_DATE)}))


class Project:
    """A scratch copy of the project's content, to break files in (``sample=False``: empty
    content folders, for what does not depend on the rest of the site)."""

    def __init__(self, root: Path, sample: bool = True):
        self.root = root
        for name in ("offers", "content"):
            if sample:
                shutil.copytree(ROOT / name, root / name)
            else:
                (root / name).mkdir(parents=True)
        self.output = root / "output"

    def path(self, relative: str) -> Path:
        return self.root / relative

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def overrides(self) -> dict:
        import datetime as dt

        return {
            "PATH": str(self.root / "content"),
            "TERRITOIRE_ROOT": str(self.root),
            "TERRITOIRE_BUILD_DATE": dt.date.fromisoformat(BUILD_DATE),
        }

    def settings(self) -> dict:
        return read_settings(overrides=self.overrides())

    def load(self):
        return check(self.settings())

    def build(self, **kwargs) -> Path:
        return build(output=str(self.output), overrides=self.overrides(), quiet=True, **kwargs)

    def run(self, *args: str) -> subprocess.CompletedProcess:
        """Run an invoke task of the project on this scratch copy."""
        env = {**os.environ, "TERRITOIRE_PROJECT": str(self.root)}
        return subprocess.run(
            [str(ROOT / ".venv" / "bin" / "invoke"), *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
        )


@pytest.fixture
def project(tmp_path) -> Project:
    return Project(tmp_path / "projet")


def git_commit_all(root: Path, message: str = "base") -> None:
    """Commit every file of ``root`` (a git repository made on the first call)."""
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", message]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "init.defaultBranch=main", *args],
            cwd=root,
            check=True,
            capture_output=True,
        )


@pytest.fixture(scope="session")
def check_file(tmp_path_factory):
    """``check_file(relative, text)``: the report of one content file holding ``text``, checked
    alone (validate.check_text) against the sample project read once per session — a copy
    committed in git, as a partner's repository is, so the file checked is the new one."""
    from territoire.config import read_config
    from territoire.load import load
    from territoire.validate import check_text

    sample = Project(tmp_path_factory.mktemp("reste") / "projet")
    git_commit_all(sample.root)
    config, problems = read_config(sample.settings())
    assert problems == []
    rest = load(config)
    return lambda relative, text: check_text(rest, config, relative, text)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve_folder(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def npm_installed(folder: Path, program: Path, what: str) -> Path:
    """``program``, from the npm packages pinned in ``folder``/package-lock.json (installed by
    .ci/run), installed here with `npm ci` if missing."""
    if not program.exists():
        npm = shutil.which("npm")
        if npm is None:
            if os.environ.get("CI") == "true":
                pytest.fail(f"npm est absent alors que CI=true : il faut Node.js et npm pour {what}.")
            pytest.skip(f"npm absent : {what} ignoré sur cette machine.")
        subprocess.run([npm, "ci", "--prefix", str(folder), "--no-audit", "--no-fund"], check=True, capture_output=True)
    return program


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def site_url(built_site):
    """Base URL of the sample site served over HTTP on 127.0.0.1."""
    server = serve_folder(built_site)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright. Skipped without Chromium, except in CI."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium est absent alors que CI=true : .ci/run doit l'installer (apt-get install chromium).")
        pytest.skip("Chromium absent (/usr/bin/chromium) : tests du navigateur ignorés sur cette machine.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, site_url):
    """A fresh page; any request leaving 127.0.0.1 is blocked and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    tab = context.new_page()
    tab.outside_requests = []
    tab.console_errors = []

    def route(r):
        if r.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            r.continue_()
        else:
            tab.outside_requests.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    tab.on("console", lambda m: tab.console_errors.append(m.text) if m.type == "error" else None)
    tab.base = site_url
    yield tab
    context.close()


@contextlib.contextmanager
def nginx_serving(
    folder: Path,
    roots: dict[str, Path],
    snippet: Path,
    as_root: bool = True,
    ports: dict[str, int] | None = None,
    extra: str = "",
) -> Iterator[dict[str, str]]:
    """A real nginx on 127.0.0.1, one server per root, each including the site's generated
    configuration ``snippet``; yields name → base URL. ``as_root=False`` lets the workers run
    as « nobody », as a packaged nginx runs them as www-data. ``ports``: ports chosen beforehand
    (a site built for its own address); ``extra``: more directives (`location` blocks) of every
    server."""
    if not NGINX.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("nginx est absent alors que CI=true : installez-le (apt-get install nginx).")
        pytest.skip("nginx (/usr/sbin/nginx) est absent de cette machine")
    ports = {name: (ports or {}).get(name) or free_port() for name in roots}
    servers = "\n".join(
        f"  server {{ listen 127.0.0.1:{ports[name]}; server_name localhost; root {root};{extra} include {snippet}; }}"
        for name, root in roots.items()
    )
    temp_paths = "\n".join(
        f"  {n}_temp_path {folder / n};" for n in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;" if as_root and os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"""{user}
worker_processes 1;
error_log {folder}/error.log;
pid {folder}/nginx.pid;
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
{temp_paths}
{servers}
}}
""",
        encoding="utf-8",
    )
    command = [str(NGINX), "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        for port in ports.values():
            while True:
                if process.poll() is not None:
                    pytest.fail(
                        "nginx n'a pas démarré : " + process.stderr.read().decode() + (folder / "error.log").read_text()
                    )
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        pytest.fail("nginx ne répond pas")
        yield {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(url: str):
    """Status, headers and body of a GET, error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def pytest_sessionfinish(session, exitstatus) -> None:
    """The screenshot gallery: output-captures/index.html shows every kind of page at a phone's
    and a desktop's width, as test_browser_pages captured them (on the main process only)."""
    if hasattr(session.config, "workerinput"):
        return
    from html import escape

    from test_browser_pages import CAPTURES, GALLERY_WIDTHS, NAMES, capture_name

    if not CAPTURES.is_dir():
        return
    rows = []
    for name in NAMES:
        shots = [(w, capture_name(name, w)) for w in GALLERY_WIDTHS if (CAPTURES / capture_name(name, w)).is_file()]
        if shots:
            figures = "".join(
                f'<figure><a href="{f}"><img src="{f}" alt="« {escape(name)} » à {w} px" width="{min(w, 640) // 2}" loading="lazy"></a><figcaption>{w} px</figcaption></figure>'
                for w, f in shots
            )
            rows.append(f'<section><h2>{escape(name)}</h2><div class="shots">{figures}</div></section>')
    (CAPTURES / "index.html").write_text(
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Captures de chaque sorte de page</title>'
        "<style>body{font-family:system-ui,sans-serif;margin:1rem}.shots{display:flex;gap:1rem;align-items:flex-start}"
        "img{border:1px solid #ccc;height:auto}figure{margin:0}</style></head><body>"
        "<h1>Captures de chaque sorte de page (320, 375 et 1280 px)</h1>"
        "<p>Produites par <code>make test</code> (tests/test_browser_pages.py) ; rapports Lighthouse dans lighthouse/.</p>"
        + "".join(rows)
        + "</body></html>\n",
        encoding="utf-8",
    )
