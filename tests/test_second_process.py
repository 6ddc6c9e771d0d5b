"""A full build renders its pages on two processes (secondprocess.py): the site is the one a
single process makes, file for file; each route is rendered once, by one of the two; a failure
in either stops the build with its own message and leaves the previous site intact."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest
from conftest import BUILD_DATE, ROOT
from territoire.build import BuildError, build
from territoire.pagewriter import PageWriteError
from territoire.secondprocess import BLOCK, SecondProcess, processes

sys.path.insert(0, str(ROOT))
from tools.compare_outputs import compare  # noqa: E402

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the second process is forked, on Linux only")


def _built(tmp_path, name: str, count: int, capsys) -> tuple:
    output = tmp_path / name
    # A content cache of its own: Pagefind makes each build's index (search.SearchCache would
    # reuse the first build's in the second).
    cache = str(tmp_path / f"cache-{name}")
    build(
        output=str(output),
        date=BUILD_DATE,
        overrides={"TERRITOIRE_PROCESSUS": count, "TERRITOIRE_CACHE_CONTENU": cache},
    )
    said = capsys.readouterr().out
    assert "pages indexées dans pagefind/." in said, said
    return output, said


def test_the_sample_built_on_two_processes_is_the_one_built_on_one(tmp_path, capsys):
    one, said_one = _built(tmp_path, "un", 1, capsys)
    two, said_two = _built(tmp_path, "deux", 2, capsys)
    assert "rendu des pages sur 2 processus" in said_two
    assert "processus" not in said_one
    assert compare(one, two) == []
    # The search index is part of the comparison: Pagefind got the pages in the same order.
    assert (two / "pagefind" / "pagefind-entry.json").is_file()


def test_the_setting_is_checked_and_one_process_is_kept_where_there_is_no_second(project):
    assert processes(1) == 1
    assert processes(2) == 2
    assert processes(None) == (2 if len(os.sched_getaffinity(0)) >= 2 else 1)
    report = check_setting(project, 3)
    assert any(p.field == "TERRITOIRE_PROCESSUS" and "un nombre entier de 1 à 2" in p.message for p in report.errors), (
        report.sorted()
    )


def check_setting(project, value):
    from territoire.build import check, read_settings

    return check(read_settings(overrides={**project.overrides(), "TERRITOIRE_PROCESSUS": value})).report


def _split(tmp_path, early: int, late: int, write):
    """Run the parent's side as the generator does; returns the routes the parent rendered."""
    rendered = []
    parent = os.getpid()

    def render(route):
        write(route)
        (tmp_path / f"{route[0]}-{route[1]}").write_text(str(os.getpid()), encoding="utf-8")

    first = [("tot", n) for n in range(early)]
    last = [("tard", n) for n in range(late)]
    second = SecondProcess.split(first, last, render, lambda: None)
    try:
        for n, route in enumerate(first):
            if second.parent_renders(n):
                render(route)
                rendered.append(route)
            else:  # written by the child before the parent goes on: in the table's order
                assert (tmp_path / f"{route[0]}-{route[1]}").is_file()
        for n, route in enumerate(last):
            if second.parent_renders(n, late=True):
                render(route)
                rendered.append(route)
        second.join()
    except BaseException:
        second.stop()
        raise
    assert os.getpid() == parent
    return rendered


def test_each_route_is_rendered_once_by_one_of_the_two_processes(tmp_path):
    # Rendering takes time (here half a millisecond a route), as it does: the child has begun
    # before the parent is through.
    rendered = _split(tmp_path, 20 * BLOCK + 5, 6 * BLOCK, lambda route: time.sleep(0.0005))
    writers = {}
    for path in tmp_path.iterdir():
        writers.setdefault(path.read_text(encoding="utf-8"), []).append(path.name)
    assert len(writers) == 2, "both processes rendered routes"
    assert sum(len(names) for names in writers.values()) == 26 * BLOCK + 5  # each route once
    assert len(writers[str(os.getpid())]) == len(rendered)


def test_a_slow_process_leaves_its_blocks_to_the_other(tmp_path):
    """The parent is slowed down (it also writes the pages and feeds Pagefind): the child, done
    with its own blocks, takes the parent's not begun yet."""
    parent = os.getpid()
    _split(tmp_path, 12 * BLOCK, 0, lambda route: time.sleep(0.002) if os.getpid() == parent else None)
    child = [p for p in tmp_path.iterdir() if p.read_text(encoding="utf-8") != str(parent)]
    assert len(child) > 6 * BLOCK, f"the child took more than its half: {len(child)} routes"


def test_a_failure_in_the_second_process_stops_the_build_with_its_message(tmp_path):
    parent = os.getpid()

    def write(route):
        if os.getpid() != parent:
            raise ValueError("le gabarit offre.html a échoué à la ligne 3")
        time.sleep(0.001)  # the parent renders: the child has begun before it is through

    with pytest.raises(ValueError, match="le gabarit offre.html a échoué à la ligne 3"):
        _split(tmp_path, 4 * BLOCK, BLOCK, write)


def test_a_second_process_killed_stops_the_build_in_french(tmp_path):
    parent = os.getpid()

    def write(route):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.001)

    with pytest.raises(PageWriteError, match=r"le second processus de rendu s'est arrêté sans finir \(signal 9\)"):
        _split(tmp_path, 4 * BLOCK, BLOCK, write)


def test_a_template_failing_on_two_processes_keeps_the_previous_site(project):
    """A territory's offer template that fails: whichever process renders an offer first, the
    build stops with the same French message; nothing half-built and no process is left."""
    previous = project.output / "index.html"
    previous.parent.mkdir(parents=True)
    previous.write_text("ancienne version", encoding="utf-8")
    template = (ROOT / "plugins" / "territoire" / "theme" / "templates" / "pages" / "offre.html").read_text(
        encoding="utf-8"
    )
    assert "{% block content %}" in template
    project.write("theme/pages/offre.html", template.replace("{% block content %}", "{% block content %}{{ 1 // 0 }}"))
    overrides = {
        **project.overrides(),
        "THEME_TEMPLATES_OVERRIDES": [str(project.root / "theme")],
        "TERRITOIRE_PROCESSUS": 2,
    }
    with pytest.raises(BuildError) as failure:
        build(output=str(project.output), overrides=overrides, quiet=True, date=BUILD_DATE)
    assert "la construction a échoué (ZeroDivisionError : integer division or modulo by zero)" in str(failure.value)
    assert previous.read_text(encoding="utf-8") == "ancienne version"
    assert not list(project.root.glob(".output-construction-*"))
    assert not _forks_of_this_process(), "the second process was stopped and waited for"


def _forks_of_this_process() -> list[str]:
    """Children of this process running its own program (a fork), living or not yet waited for."""
    mine = Path("/proc/self/cmdline").read_bytes()
    found = []
    for task in Path("/proc/self/task").iterdir():
        for pid in (task / "children").read_text().split():
            try:
                if Path(f"/proc/{pid}/cmdline").read_bytes() in (mine, b""):  # b"": a zombie
                    found.append(pid)
            except OSError:
                pass
    return found


def test_an_address_that_could_leave_the_site_goes_through_pelicans_check():
    """The route table takes plain addresses as they are; any other goes through Pelican's
    sanitised_join, which refuses one outside the site."""
    from territoire.generator import _plainly_inside

    assert _plainly_inside("offres/scierie/index.html") and _plainly_inside("offres/flux.atom")
    for address in ("../x.html", "offres/../../x.html", "/etc/passwd", "~root/x", "a\\..\\b", "C:/x", ""):
        assert not _plainly_inside(address), address
