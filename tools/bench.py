"""Benchmark: this kit's build against a bare Pelican site of the same size.

``run(offers)`` works in a temporary folder:

1. generates a synthetic project of N offers plus proportionate partners and events
   (``synthetic.generate``);
2. writes a bare Pelican project of N Markdown articles of about 150 words with the default
   theme and a minimal configuration;
3. times, in turn and ``repetitions`` times, ``invoke validate`` and ``invoke build`` on the
   synthetic project (subprocesses with ``TERRITOIRE_PROJECT``) and ``pelican content -o out
   -s conf.py`` on the bare one, each from an empty output folder, with the peak memory and the
   CPU time of each (``os.wait4`` rusage); the medians are compared. The project has caches of
   its own (images and content, settings file ``banc.py``): in the first ``cold`` repetitions a
   build is first made with both caches set aside (a cold build: every photo, sharing image,
   description and the brochure made anew), then the warm build that is compared with bare
   Pelican, whose caches are the previous build's;
4. measures the first /offres/ page and the filter's data file the board's script loads.

Results are returned as a dict and rendered as Markdown for BENCHMARKS.md.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the kit's repository and its sample site

BUILD_DATE = "2026-11-22"
TARGET_RATIO = 0.5  # warm build / bare Pelican (issue 19)
TARGET_COLD_RATIO = 2.0  # cold build / warm build
TARGET_EDIT_S = 1.0  # one offer edited, the site updated (issue 19)
TARGET_VALIDATION_S = 3.0
TARGET_MEMORY_MIB = 1024
START_MARK = "<!-- bench:start -->"
END_MARK = "<!-- bench:end -->"

# Vocabulary for the bare Pelican articles: ordinary French words, so Markdown, typogrify-free
# rendering and the default theme see text comparable to an offer's description.
WORDS = (
    "le la les un une des du de et à en pour avec sans sur sous dans par entreprise commerce atelier "
    "village commune territoire projet reprise création local clientèle activité artisan boulangerie "
    "épicerie exploitation élevage terres bâtiment bureaux logement école marché saison tourisme "
    "accompagnement financement prêt banque chambre métiers agriculture cédant repreneur emploi "
    "salarié chiffre affaires loyer surface équipement matériel vitrine route vallée montagne "
    "rivière forêt place mairie centre bourg habitants famille service santé médecin pharmacie "
    "association bénévole culture animation réseau partenaire conseil formation installation"
).split()


def _machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} Gio"
                break
    except OSError:
        pass
    import pelican

    return {
        "cpu": cpu or platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "pelican": getattr(pelican, "__version__", "?"),
        "system": f"{platform.system()} {platform.release()}",
    }


def _timed(cmd: list[str], cwd: Path, env: dict | None = None) -> dict:
    """Run ``cmd``; wall time, peak resident memory (MiB) and exit code, output kept for errors.

    Files written by the previous run are flushed to disk first (``os.sync``): otherwise the
    system writes them back during the next run, on the processor a build may be using."""
    os.sync()
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise RuntimeError(f"« {' '.join(cmd)} » a échoué (code {proc.returncode}) :\n{text[-3000:]}")
    # Linux reports ru_maxrss in KiB (bytes on macOS).
    rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    cpu = usage.ru_utime + usage.ru_stime
    return {"seconds": elapsed, "cpu": cpu, "peak_mib": rss, "output": text}


def write_bare_pelican(root: Path, articles: int, seed: int = 0) -> None:
    """A bare Pelican project: ``articles`` Markdown articles of ~150 words, minimal conf.py."""
    rng = random.Random(seed)
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    categories = ["reprise", "creation", "local", "foncier", "association"]
    tags = ["commerce", "artisanat", "agriculture", "industrie", "services", "tourisme", "sante"]
    start = dt.date(2024, 1, 1)
    for n in range(1, articles + 1):
        words = [rng.choice(WORDS) for _ in range(150)]
        paragraphs = [" ".join(words[i : i + 50]).capitalize() + "." for i in range(0, 150, 50)]
        title = f"Article {n} : {' '.join(rng.choice(WORDS) for _ in range(5))}"
        text = (
            f"Title: {title}\n"
            f"Date: {(start + dt.timedelta(days=n % 1000)).isoformat()} 10:00\n"
            f"Category: {rng.choice(categories)}\n"
            f"Tags: {', '.join(sorted(rng.sample(tags, 2)))}\n"
            f"Slug: article-{n:05d}\n"
            f"Summary: {' '.join(words[:25])}.\n\n" + "\n\n".join(paragraphs) + "\n"
        )
        (content / f"article-{n:05d}.md").write_text(text, encoding="utf-8")
    (root / "conf.py").write_text(
        'AUTHOR = "Banc d\'essai"\nSITENAME = "Pelican nu"\nSITEURL = ""\nPATH = "content"\n'
        'TIMEZONE = "Europe/Paris"\nDEFAULT_LANG = "fr"\n',
        encoding="utf-8",
    )


def _filter_data(output: Path) -> Path | None:
    """The data file the board's script loads (``data-donnees`` on /offres/), else any JSON there."""
    board = output / "offres" / "index.html"
    if board.exists():
        found = re.search(r'data-donnees="([^"]+)"', board.read_text(encoding="utf-8"))
        if found:
            name = found.group(1).split("?")[0].split("/offres/")[-1].lstrip("/")
            candidate = output / "offres" / name
            if candidate.exists():
                return candidate
    for name in ("filtres.json", "offres.json"):
        if (output / "offres" / name).exists():
            return output / "offres" / name
    return None


def _size(path: Path | None) -> dict | None:
    if path is None or not path.exists():
        return None
    data = path.read_bytes()
    return {"path": path, "bytes": len(data), "gzip": len(gzip.compress(data, 9, mtime=0))}


def _median(measured: list[dict]) -> dict:
    """The median run by elapsed time (peak memory: the highest of all runs)."""
    ordered = sorted(measured, key=lambda m: m["seconds"])
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["peak_mib"] = max(m["peak_mib"] for m in measured)
    return chosen


def _set_aside(folder: Path, graveyard: Path) -> None:
    """Start the next run from an empty output folder without deleting the previous one yet.

    On this machine's ext4 (no journal), the kernel checks every inode freed in the last
    30 seconds before reusing one: a build started just after deleting the previous build's
    ~15,000 files and folders spends seconds in that check (measured: 13.9 s right after
    `rm -rf output`, 11.0 s 40 s later; bare Pelican, 5,000 files: 15.7 s and 14.6 s). The
    previous outputs are moved aside (a rename frees nothing) and deleted with the temporary
    folder at the end, so both sides are measured as a first build is."""
    if folder.exists():
        graveyard.mkdir(exist_ok=True)
        folder.rename(graveyard / f"{folder.name}-{len(list(graveyard.iterdir()))}")


def write_settings(project: Path) -> Path:
    """The project's settings: the sample's (pelicanconf.py of the kit's repository), with an image
    cache of the project's own (the sample's is the repository's), so a cold build is cold."""
    settings = project / "banc.py"
    settings.write_text(
        '"""Réglages du banc d\'essai : ceux de l\'exemple, avec des caches propres au projet."""\n\n'
        "import runpy\n\n"
        f"globals().update((k, v) for k, v in runpy.run_path({str(ROOT / 'pelicanconf.py')!r}).items() if k.isupper())\n"
        "TERRITOIRE_CACHE_IMAGES = '.cache/images'\n"
        "TERRITOIRE_CACHE_CONTENU = '.cache/contenu'\n",
        encoding="utf-8",
    )
    return settings


def _retitled(text: str, n: int) -> str:
    """The offer file with « (n) » added to its title, inside its quotes if it has some."""
    return re.sub(r"(?m)^titre: (.*?)([\"']?)$", lambda m: f"titre: {m[1]} ({n}){m[2]}", text, count=1)


def _said(measure: dict) -> str:
    return f"{measure['seconds']:.1f} s (CPU {measure['cpu']:.1f} s), {measure['peak_mib']:.0f} Mio"


def run(offers: int = 5000, keep: bool = False, say=print, repetitions: int = 5, cold: int = 2) -> dict:
    """Run the whole benchmark at ``offers`` offers, ``repetitions`` times; returns the figures."""
    from tools.synthetic import generate

    invoke = str(Path(sys.executable).with_name("invoke"))
    pelican = str(Path(sys.executable).with_name("pelican"))
    tmp = Path(tempfile.mkdtemp(prefix="territoire-bench-"))
    results: dict = {
        "offers": offers,
        "machine": _machine(),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    try:
        project = tmp / "projet"
        say(f"Génération de {offers} offres fictives dans {project}…")
        started = time.perf_counter()
        generate(project, offers, 0)
        results["generate_s"] = time.perf_counter() - started
        results["partners"] = len(list((project / "content" / "partenaires").glob("*.md")))
        results["events"] = len(list((project / "content" / "evenements").glob("*.md")))
        env = {**os.environ, "TERRITOIRE_PROJECT": str(project), "PYTHONHASHSEED": "0"}
        settings = write_settings(project)

        bare = tmp / "pelican-nu"
        write_bare_pelican(bare, offers)
        output = project / "output"
        bare_env = {**os.environ, "PYTHONHASHSEED": "0"}
        runs: dict[str, list[dict]] = {"validate": [], "cold": [], "build": [], "edit": [], "bare": []}
        edited = sorted((project / "offers").glob("*.yaml"))[len(list((project / "offers").glob("*.yaml"))) // 2]
        build = [invoke, "build", "--date", BUILD_DATE, "--settings", str(settings)]
        aside = tmp / "sorties-precedentes"
        # Interleaved (validation, [cold build,] warm build, bare Pelican) × repetitions, each from
        # an empty output folder (the previous one moved aside, _set_aside): a slow spell of the
        # machine weighs on both sides, and the medians compare.
        for n in range(1, repetitions + 1):
            say(f"Mesure {n}/{repetitions} :")
            runs["validate"].append(_timed([invoke, "validate"], ROOT, env))
            say(f"  validation seule (invoke validate) : {runs['validate'][-1]['seconds']:.2f} s")
            if n <= cold:
                _set_aside(output, aside)
                _set_aside(project / ".cache", aside)
                runs["cold"].append(_timed(build, ROOT, env))
                say(f"  construction à froid (caches vides) : {_said(runs['cold'][-1])}")
            _set_aside(output, aside)
            runs["build"].append(_timed(build, ROOT, env))
            say(f"  construction (caches de la précédente) : {_said(runs['build'][-1])}")
            _set_aside(bare / "out", aside)
            runs["bare"].append(_timed([pelican, "content", "-o", "out", "-s", "conf.py", "-q"], bare, bare_env))
            say(f"  Pelican nu, {offers} articles, thème par défaut : {_said(runs['bare'][-1])}")
        # One offer's title edited while `invoke serve` runs, as a partner saves it in the
        # preview: from the save to « Site construit » (the incremental target of issue 19: 1 s).
        say("Aperçu (invoke serve) : une offre modifiée, reconstruite…")
        runs["edit"] = _preview_edits(invoke, settings, env, edited, repetitions, say)
        for name, measured in runs.items():
            if not measured:
                continue
            results[name] = _median(measured)
            results[name]["runs"] = [m["seconds"] for m in measured]
            if name == "edit":
                results[name]["search_runs"] = [m["search_seconds"] for m in measured]
        results["repetitions"] = repetitions
        results["pages"] = sum(1 for _ in output.rglob("*.html"))
        results["board"] = _size(output / "offres" / "index.html")
        results["filter_data"] = _size(_filter_data(output))
        results["bare_pages"] = sum(1 for _ in (bare / "out").rglob("*.html"))
        results["ratio"] = results["build"]["seconds"] / results["bare"]["seconds"]
        results["cpu_ratio"] = results["build"]["cpu"] / results["bare"]["cpu"]
        if "cold" in results:
            results["cold_ratio"] = results["cold"]["seconds"] / results["build"]["seconds"]
        results["edited"] = edited.relative_to(project).as_posix()
    finally:
        if keep:
            say(f"Dossier conservé : {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return results


def _preview_edits(invoke: str, settings: Path, env: dict, edited: Path, repetitions: int, say) -> list[dict]:
    """Start `invoke serve` on the project, then save ``edited`` with a new title ``repetitions``
    times: each measure runs from the save to the preview's « Site construit » line (its pages
    updated), and on to « Index de recherche à jour » (Pagefind's index and the registry, made
    while the pages show) before the next save. CPU time is the preview process's own and its
    children's (Pagefind), read from /proc before and after, up to the index."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [invoke, "serve", "--port", str(port), "--date", BUILD_DATE, "--settings", str(settings)]
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
    )
    measured = []
    try:
        _read_until(proc, "Aperçu sur")
        text = edited.read_text(encoding="utf-8")
        for n in range(1, repetitions + 1):
            os.sync()
            cpu = _cpu(proc.pid)
            started = time.perf_counter()
            edited.write_text(_retitled(text, 100 + n), encoding="utf-8")
            said = _read_until(proc, "Site construit dans")
            elapsed = time.perf_counter() - started
            if "reconstruction partielle" not in said:
                raise RuntimeError(f"l'aperçu a tout reconstruit :\n{said[-3000:]}")
            _read_until(proc, "Index de recherche à jour")  # Pagefind's index, then the registry
            measured.append(
                {
                    "seconds": elapsed,
                    "search_seconds": time.perf_counter() - started,
                    "cpu": _cpu(proc.pid) - cpu,
                    "peak_mib": _peak_mib(proc.pid),
                }
            )
            say(
                f"  une offre modifiée dans l'aperçu : {_said(measured[-1])} ; "
                f"index de recherche à jour après {measured[-1]['search_seconds']:.1f} s"
            )
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return measured


def _read_until(proc: subprocess.Popen, text: str) -> str:
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if text in line:
            return "".join(lines)
        if line.startswith("✘"):
            break
    raise RuntimeError(f"« {text} » attendu de l'aperçu ; reçu :\n{''.join(lines)[-3000:]}")


def _cpu(pid: int) -> float:
    """User and system time of ``pid`` and of its children it has waited for, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / os.sysconf("SC_CLK_TCK")


def _peak_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _runs(measure: dict) -> str:
    return " · ".join(f"{t:.2f}" for t in measure.get("runs", [measure["seconds"]]))


def _kio(n: int) -> str:
    return f"{n / 1024:,.0f} Kio".replace(",", " ")


def markdown(r: dict) -> str:
    m = r["machine"]
    ok = lambda good: "✔ atteint" if good else "✘ manqué"  # noqa: E731
    build, validate, bare = r["build"], r["validate"], r["bare"]
    peak = max(build["peak_mib"], validate["peak_mib"])
    lines = [
        START_MARK,
        f"## Résultats à N = {r['offers']} offres ({r['date']})",
        "",
        "Reproduire : `.venv/bin/invoke bench --offers "
        + str(r["offers"])
        + (f" --repetitions {r['repetitions']}" if r.get("repetitions", 5) != 5 else "")
        + "`",
        "",
        f"Machine : {m['cpu']}, {m['cores']} cœurs, {m['memory']} de mémoire ; {m['system']} ; Python {m['python']}, Pelican {m['pelican']}.",
        "",
        f"Projet généré : {r['offers']} offres, {r['partners']} partenaires, {r['events']} événements → {r['pages']} pages HTML. "
        f"Pelican nu : {r['offers']} articles d'environ 150 mots → {r['bare_pages']} pages HTML.",
        "",
        "| Mesure | Résultat (temps écoulé ; temps CPU) | Cible | |",
        "|---|---:|---:|---|",
        f"| Construction complète (`invoke build`, caches de la précédente) | {build['seconds']:.1f} s ; CPU {build['cpu']:.1f} s | ≤ {TARGET_RATIO:.1f} × Pelican nu | |",
        f"| Pelican 4.12 nu, thème par défaut | {bare['seconds']:.1f} s ; CPU {bare['cpu']:.1f} s | | |",
        f"| Rapport construction / Pelican nu | {r['ratio']:.2f} × ; CPU {r['cpu_ratio']:.2f} × | ≤ {TARGET_RATIO:.1f} × | {ok(r['ratio'] <= TARGET_RATIO)} |",
    ]
    if r.get("cold"):
        cold = r["cold"]
        lines += [
            f"| Construction à froid (caches d'images et de contenu vides) | {cold['seconds']:.1f} s ; CPU {cold['cpu']:.1f} s | ≤ {TARGET_COLD_RATIO:.0f} × la construction | |",
            f"| Rapport à froid / construction | {r['cold_ratio']:.2f} × | ≤ {TARGET_COLD_RATIO:.0f} × | {ok(r['cold_ratio'] <= TARGET_COLD_RATIO)} |",
        ]
    if r.get("edit"):
        edit = r["edit"]
        lines.append(
            f"| Une offre modifiée dans l'aperçu (`make serve`, reconstruction partielle ; `{r.get('edited', 'offers/…')}`, titre changé) : pages à jour | {edit['seconds']:.1f} s | ≤ {TARGET_EDIT_S:.0f} s | {ok(edit['seconds'] <= TARGET_EDIT_S)} |"
        )
        if "search_seconds" in edit:
            lines.append(
                f"| … et index de recherche à jour (Pagefind refait, registre des sorties) | {edit['search_seconds']:.1f} s ; CPU {edit['cpu']:.1f} s | ≤ {TARGET_EDIT_S:.0f} s | {ok(edit['search_seconds'] <= TARGET_EDIT_S)} |"
            )
    lines += [
        f"| Validation seule (`invoke validate`) | {validate['seconds']:.2f} s ; CPU {validate['cpu']:.2f} s | < {TARGET_VALIDATION_S:.0f} s | {ok(validate['seconds'] < TARGET_VALIDATION_S)} |",
        f"| Mémoire maximale (construction) | {build['peak_mib']:.0f} Mio | < {TARGET_MEMORY_MIB} Mio | {ok(peak < TARGET_MEMORY_MIB)} |",
        f"| Mémoire maximale (validation) | {validate['peak_mib']:.0f} Mio | | |",
        f"| Mémoire maximale (Pelican nu) | {bare['peak_mib']:.0f} Mio | | |",
    ]
    if r.get("board"):
        lines.append(
            f"| Première page /offres/ | {_kio(r['board']['bytes'])} (gzip : {_kio(r['board']['gzip'])}) | | |"
        )
    if r.get("filter_data"):
        name = r["filter_data"]["path"].name
        lines.append(
            f"| Données du filtre (offres/{name}) | {_kio(r['filter_data']['bytes'])} (gzip : {_kio(r['filter_data']['gzip'])}) | | |"
        )
    lines += [
        "",
        f"Temps mesurés de bout en bout (démarrage de Python compris), dossier temporaire, dossier de sortie vide à chaque fois (le précédent est mis de côté, effacé à la fin) et écritures précédentes sur disque (`sync`) : "
        f"médiane de {r.get('repetitions', 1)} mesure(s) faites en alternance (validation, construction, Pelican nu), pour que les variations "
        "de vitesse de la machine pèsent des deux côtés. Le temps CPU (utilisateur + système, processus enfants compris) est celui de la mesure médiane. "
        "La construction mesurée reprend les caches de la précédente (images, descriptions, plaquette : `.cache/`, comme la CI qui les garde d'une publication à l'autre) ; "
        "la construction à froid part de caches vides (première construction d'un poste, ou CI sans cache)."
        " La modification d'une offre est mesurée ensuite dans l'aperçu (`invoke serve`, lancé une fois sur le projet), "
        "autant de fois : de l'enregistrement du fichier à la ligne « Site construit » de l'aperçu (pages à jour, reconstruction partielle), "
        "puis jusqu'à la ligne « Index de recherche à jour » (Pagefind refait tout l'index pendant que l'aperçu montre déjà les pages) ; "
        "son temps CPU, jusqu'à l'index, est celui du processus de l'aperçu et de ses enfants (Pagefind).",
        "",
        f"Chaque mesure (secondes) : construction {_runs(build)} ; Pelican nu {_runs(bare)} ; validation {_runs(validate)}"
        + (f" ; à froid {_runs(r['cold'])}" if r.get("cold") else "")
        + (f" ; une offre modifiée {_runs(r['edit'])}" if r.get("edit") else "")
        + (
            f" ; index de recherche à jour {' · '.join(f'{t:.2f}' for t in r['edit']['search_runs'])}"
            if r.get("edit", {}).get("search_runs")
            else ""
        )
        + ".",
        END_MARK,
    ]
    return "\n".join(lines) + "\n"


def write_markdown(r: dict, path: Path) -> None:
    """Replace the results section of BENCHMARKS.md (notes outside the markers are kept)."""
    block = markdown(r)
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if START_MARK in text and END_MARK in text:
            before, rest = text.split(START_MARK, 1)
            after = rest.split(END_MARK, 1)[1]
            path.write_text(before + block.rstrip("\n") + after, encoding="utf-8")
            return
        path.write_text(text.rstrip("\n") + "\n\n" + block, encoding="utf-8")
        return
    path.write_text(
        "# Banc d'essai\n\nConstruction du site comparée à Pelican nu, à taille égale.\n\n" + block, encoding="utf-8"
    )
