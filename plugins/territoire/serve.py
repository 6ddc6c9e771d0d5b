"""Local preview: build, serve output/ on 127.0.0.1, rebuild when a source changes.

Every HTML page served gets one external script, /_apercu/apercu.js (no inline script: the
site's Content-Security-Policy holds in the preview too). It polls /_apercu/etat.json, the
state of the last build: when a build fails it lays the French errors over the page (the
previous version stays served below); when a later build succeeds, it reloads the page.
After the first build, each build renders only what the saved files may have changed
(incremental.py).
"""

from __future__ import annotations

import functools
import gc
import html
import http.server
import json
import threading
from pathlib import Path

from .build import build, read_settings
from .config import read_config
from .hosting import admin_headers, local_backend_origins, security_headers
from .incremental import Preview
from .routes import address
from .run import BuildError
from .settings import KIT_DIR, project_root

# Besides the folders the configuration names (content, offers), the project's overrides and
# settings (TERRITOIRE_PROJECT, else the current folder), then the kit itself (its theme and
# code: edited in place when installed from its source tree).
WATCHED_PROJECT = ["data", "theme", "pelicanconf.py"]
PREVIEW_PREFIX = "/_apercu/"
SCRIPT = Path(__file__).with_name("apercu.js")
SCRIPT_TAG = f'<script src="{PREVIEW_PREFIX}apercu.js" defer></script>'


class BuildState:
    """The outcome of the last build, numbered so that the page knows when a new one is done."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.version = 0
        self.ok = True
        self.message = ""
        self.details = ""

    def record(self, error: BuildError | None) -> None:
        with self._lock:
            self.version += 1
            self.ok = error is None
            self.message = str(error) if error else ""
            self.details = error.details if error else ""

    def as_json(self) -> bytes:
        with self._lock:
            state = {
                "version": self.version,
                "etat": "ok" if self.ok else "erreur",
                "message": self.message,
                "details": self.details,
            }
        return json.dumps(state, ensure_ascii=False).encode("utf-8")


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """The built site, with the preview's script in every page and its two own addresses, sent
    with the security headers of the published site (its Content-Security-Policy above all)."""

    state: BuildState
    headers_sent: list[tuple[str, str]] = []
    # The local backend /admin/ may call in the preview (decap-server), as pelicanconf.py
    # names it; the published site's policy never lists it.
    admin_connect: tuple[str, ...] = ()

    def end_headers(self) -> None:
        admin = self.path.startswith(f"/{address('admin')}")
        for name, value in admin_headers(self.headers_sent, self.admin_connect) if admin else self.headers_sent:
            self.send_header(name, value)
        super().end_headers()

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == PREVIEW_PREFIX + "etat.json":
            return self._send(self.state.as_json(), "application/json; charset=utf-8")
        if path == PREVIEW_PREFIX + "apercu.js":
            return self._send(SCRIPT.read_bytes(), "text/javascript; charset=utf-8")
        target = Path(self.translate_path(path))
        if target.is_dir():
            target = target / "index.html"
        if target.suffix == ".html" and target.is_file() and path.endswith(("/", ".html")):
            return self._send(_with_script(target.read_text(encoding="utf-8")), "text/html; charset=utf-8")
        if not target.exists() and not self.state.ok and path.endswith(("/", ".html")):
            return self._send(_with_script(_error_page(self.state)), "text/html; charset=utf-8", status=503)
        return super().do_GET()

    def _send(self, body: bytes | str, content_type: str, status: int = 200) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass  # the terminal shows the builds, not every request


def _with_script(page: str) -> str:
    head = page.find("</head>")
    return page[:head] + SCRIPT_TAG + "\n" + page[head:] if head >= 0 else page + SCRIPT_TAG


def _error_page(state: BuildState) -> str:
    """Shown where no page was ever built (the first build failed): the same errors, in HTML."""
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Erreurs dans le contenu</title></head>'
        f"<body><main><h1>Le contenu contient des erreurs</h1><p>{html.escape(state.message)}</p>"
        f"<pre>{html.escape(state.details)}</pre><p>Corrigez puis enregistrez : la page se recharge seule.</p></main></body></html>"
    )


def serve(port: int = 8000, date: str | None = None, settings_file: str = "pelicanconf.py") -> None:
    import watchfiles
    from watchfiles import Change

    settings = read_settings(settings_file)
    output = Path(settings["OUTPUT_PATH"])
    if not output.is_absolute():
        output = Path.cwd() / output
    project = project_root(settings).resolve()
    state = BuildState()
    preview = Preview()  # after the first build, each one renders only what the edit touched

    def rebuild(changed: list[Path] | None = None) -> None:
        preview.changed_paths = changed or []
        try:
            build(settings_file, date=date, preview=preview)
        except BuildError as exc:
            state.record(exc)
            print(f"✘ {exc}\n  (la version précédente reste servie ; corrigez puis enregistrez)", flush=True)
        else:
            state.record(None)
        # A build holds the garbage collector back (build.fewer_collections): what the last one
        # made is let go now, while the preview waits for the next save, not kept (and frozen)
        # through the next build.
        gc.collect()

    rebuild()
    output.mkdir(parents=True, exist_ok=True)
    config = read_config(settings)[0]
    attributes = {
        "state": state,
        "headers_sent": security_headers(config),
        "admin_connect": local_backend_origins(config.TERRITOIRE_CMS_LOCAL_BACKEND),
    }
    handler = functools.partial(type("Handler", (PreviewHandler,), attributes), directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    folders = [Path(config.PATH), config.ROOT / config.TERRITOIRE_OFFRES_PATH]
    watched = [p.resolve() for p in folders] + [project / p for p in WATCHED_PROJECT] + [KIT_DIR]
    paths = [str(p) for p in dict.fromkeys(watched) if p.exists()]
    announced = False
    try:
        # yield_on_timeout: the first (empty) yield comes once the watcher is running, so
        # « Aperçu » is only said when a change saved from then on is sure to be seen.
        for changes in watchfiles.watch(
            *paths, watch_filter=lambda _, p: "__pycache__" not in p, yield_on_timeout=True, rust_timeout=300
        ):
            if not announced:
                print(
                    f"Aperçu sur http://127.0.0.1:{port}/ — reconstruit à chaque modification (Ctrl+C pour arrêter).",
                    flush=True,
                )
                announced = True
            # Editors write temporary files next to the real ones: name only files still there,
            # or removed files that are not such temporary files (an offer deleted).
            saved = [p for kind, p in changes if Path(p).exists() or (kind == Change.deleted and not _temporary(p))]
            names = sorted({_shown(Path(p), project) for p in saved})
            if not names:
                continue
            print(f"Modifié : {', '.join(names[:5])}{'…' if len(names) > 5 else ''}", flush=True)
            rebuild([Path(p) for p in saved if not _temporary(p)])
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        preview.settle()
        preview.drop_search()  # Pagefind, kept from one build to the next


def _temporary(path: str) -> bool:
    """An editor's file of its own (« .fichier.swp », « fichier~ », « .#fichier », « fichier.tmp »)."""
    name = Path(path).name
    return name.startswith((".", "#")) or name.endswith(("~", ".tmp", ".swp", ".swx"))


def _shown(path: Path, project: Path) -> str:
    for base in (project, KIT_DIR.parent):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return str(path)
