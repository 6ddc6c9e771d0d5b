"""`invoke serve` (make serve): builds the project it is pointed at, serves it on 127.0.0.1 and
rebuilds when a content file changes."""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import threading
import time
import urllib.request

from conftest import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _lines(proc: subprocess.Popen) -> queue.Queue:
    found: queue.Queue = queue.Queue()

    def read() -> None:
        for line in proc.stdout:
            found.put(line)

    threading.Thread(target=read, daemon=True).start()
    return found


def _wait_for(lines: queue.Queue, text: str, timeout: float = 60) -> list[str]:
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=deadline - time.monotonic())
        except queue.Empty:
            break
        seen.append(line)
        if text in line:
            return seen
    raise AssertionError(f"« {text} » attendu ; reçu :\n{''.join(seen)}")


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def test_serve_builds_the_named_project_and_rebuilds_on_change(project):
    port = _free_port()
    env = {**os.environ, "TERRITOIRE_PROJECT": str(project.root), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "invoke"), "serve", "--port", str(port), "--date", "2026-11-22"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
    )
    try:
        lines = _lines(proc)
        _wait_for(lines, f"Aperçu sur http://127.0.0.1:{port}/")
        assert (project.output / "offres" / "index.html").exists(), "le projet nommé par TERRITOIRE_PROJECT doit être construit"
        page = _get(f"http://127.0.0.1:{port}/offres/boulangerie-patisserie-ambert/")
        assert "<h1>Boulangerie" in page
        offer = project.path("offers/boulangerie-patisserie-ambert.yaml")
        text = offer.read_text(encoding="utf-8")
        offer.write_text("\n".join("titre: Fournil modifié à Ambert" if line.startswith("titre:") else line for line in text.splitlines()) + "\n", encoding="utf-8")
        _wait_for(lines, "Modifié : offers/boulangerie-patisserie-ambert.yaml")
        _wait_for(lines, "Site construit dans")
        assert "<h1>Fournil modifié à Ambert</h1>" in _get(f"http://127.0.0.1:{port}/offres/boulangerie-patisserie-ambert/")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
