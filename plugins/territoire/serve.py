"""Local preview: build, serve output/ on 127.0.0.1, rebuild when a source changes."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

from .build import ROOT, BuildError, build, read_settings
from .settings import project_root

# Content of the project (TERRITOIRE_PROJECT, else this folder), then the kit itself.
WATCHED_CONTENT = ["offers", "content", "data"]
WATCHED_KIT = ["theme", "plugins", "pelicanconf.py"]


def serve(port: int = 8000, date: str | None = None) -> None:
    import watchfiles

    settings = read_settings()
    output = Path(settings["OUTPUT_PATH"])
    if not output.is_absolute():
        output = ROOT / output
    project = project_root(settings).resolve()

    def rebuild() -> None:
        try:
            build(date=date)
        except BuildError as exc:
            print(f"✘ {exc}\n  (la version précédente reste servie ; corrigez puis enregistrez)", flush=True)

    rebuild()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Aperçu sur http://127.0.0.1:{port}/ — reconstruit à chaque modification (Ctrl+C pour arrêter).", flush=True)
    watched = [project / p for p in WATCHED_CONTENT] + [ROOT / p for p in WATCHED_KIT]
    paths = [str(p) for p in dict.fromkeys(watched) if p.exists()]
    try:
        for changes in watchfiles.watch(*paths, watch_filter=lambda _, p: "__pycache__" not in p):
            # Editors write temporary files next to the real ones: name only files still there.
            names = sorted({_shown(Path(p), project) for _, p in changes if Path(p).exists()})
            if not names:
                continue
            print(f"Modifié : {', '.join(names[:5])}{'…' if len(names) > 5 else ''}", flush=True)
            rebuild()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()


def _shown(path: Path, project: Path) -> str:
    for base in (project, ROOT):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return str(path)
