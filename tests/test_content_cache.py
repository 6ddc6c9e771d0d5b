"""The content cache (.cache/contenu/): rendered descriptions and the brochure PDF kept between
builds, keyed by content and never by dates, so a fresh checkout with a restored cache skips the
same work, and a change to anything the work reads is never served stale."""

from __future__ import annotations

import json
import os
import shutil
import time

from conftest import BUILD_DATE, ROOT
from territoire.build import build
from territoire.communes_data import kit_communes
from territoire.contentcache import Brochures

REUSED = "reprise de la construction précédente"
OFFER = "offers/boulangerie-patisserie-ambert.yaml"


def _build(project, capsys) -> str:
    """A build as `invoke build` runs it, with its progress messages."""
    build(output=str(project.output), overrides=project.overrides(), quiet=False)
    return capsys.readouterr().out


def test_a_second_build_reuses_the_brochure_and_the_descriptions_byte_for_byte(project, capsys, tmp_path):
    # First build: nothing cached yet, the PDF is laid out.
    first_out = _build(project, capsys)
    assert "Plaquette d'accueil en PDF" in first_out and REUSED not in first_out
    cache = project.root / ".cache" / "contenu"
    assert len(list((cache / "plaquette").glob("*.pdf"))) == 1
    bodies = json.loads((cache / "corps.json").read_text(encoding="utf-8"))["textes"]
    assert any("pain au levain" in html for html in bodies.values())  # the bakery's description
    codes = json.loads((cache / "qr.json").read_text(encoding="utf-8"))["textes"]
    assert "https://cap-actif.example.org/offres/boulangerie-patisserie-ambert/" in codes
    pdf = (project.output / "plaquette-accueil.pdf").read_bytes()
    offer_page = (project.output / "offres" / "boulangerie-patisserie-ambert" / "index.html").read_bytes()

    # A fresh checkout: every file has a new date, the cache comes back from CI's cache.
    clone = tmp_path / "clone"
    shutil.copytree(project.root, clone, ignore=shutil.ignore_patterns("output"))
    later = time.time() + 3600
    for path in clone.rglob("*"):
        os.utime(path, (later, later))
    project.root, project.output = clone, clone / "output"
    second_out = _build(project, capsys)
    assert REUSED in second_out
    assert (project.output / "plaquette-accueil.pdf").read_bytes() == pdf
    assert (project.output / "offres" / "boulangerie-patisserie-ambert" / "index.html").read_bytes() == offer_page

    # An edited description is shown as written; an edited title changes the brochure's offer
    # sheet, which is laid out again.
    offer = project.path(OFFER)
    text = offer.read_text(encoding="utf-8").replace("pain au levain", "pain au petit épeautre", 1)
    offer.write_text(text.replace("à reprendre au cœur d'Ambert", "à reprendre à Ambert"), encoding="utf-8")
    # The cached PDF and the descriptions, damaged: read as missing, never as content.
    (cache := clone / ".cache" / "contenu").joinpath("corps.json").write_text("{pas du json", encoding="utf-8")
    for cached in (cache / "plaquette").glob("*.pdf"):
        cached.write_bytes(cached.read_bytes()[:1000])
    third_out = _build(project, capsys)
    assert REUSED not in third_out and "Traceback" not in third_out
    page = (project.output / "offres" / "boulangerie-patisserie-ambert" / "index.html").read_text(encoding="utf-8")
    assert "pain au petit épeautre" in page and "pain au levain" not in page
    new_pdf = (project.output / "plaquette-accueil.pdf").read_bytes()
    assert new_pdf.startswith(b"%PDF") and new_pdf != pdf
    bodies = json.loads((cache / "corps.json").read_text(encoding="utf-8"))["textes"]
    assert any("pain au petit épeautre" in html for html in bodies.values())
    assert not any("pain au levain" in html for html in bodies.values())  # only this build's bodies


def test_a_cached_brochure_is_not_reused_when_a_file_it_read_changed(tmp_path):
    """The dependency record: same HTML, but a photo the PDF read has other bytes now."""
    output = tmp_path / "output"
    photo = output / "images" / "territoire" / "paysage.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes((ROOT / "content" / "images" / "territoire" / "livradois-forez.jpg").read_bytes())
    cache = Brochures(tmp_path / "cache")
    key = cache.key("<p>la plaquette</p>", b"plaquette-" + BUILD_DATE.encode())
    cache.put(key, output, [photo], b"%PDF-1.7 le document")
    assert cache.get(key, output) == b"%PDF-1.7 le document"
    photo.write_bytes(next((ROOT / "content" / "images" / "offres").glob("*.jpg")).read_bytes())
    assert cache.get(key, output) is None
    photo.unlink()
    assert cache.get(key, output) is None
    # Another HTML is another key, whatever the files.
    assert cache.key("<p>autre</p>", b"plaquette-" + BUILD_DATE.encode()) != key


def _validated_twice(project, store_name: str):
    """The bakery offer broken (a price in words, an unknown field), validated twice: the store
    ``store_name`` of .cache/contenu/ is made by the first run; the second says the same."""
    project.write(OFFER, project.path(OFFER).read_text(encoding="utf-8").replace("prix:", "prix: beaucoup\nprix_:", 1))
    first = project.run("validate")
    store = project.root / ".cache" / "contenu" / store_name
    assert store.is_file()
    second = project.run("validate")
    assert first.returncode == second.returncode == 1
    assert second.stdout == first.stdout and second.stderr == first.stderr
    return first, store


def test_parsed_files_come_back_with_their_positions_and_a_poisoned_cache_runs_nothing(project, tmp_path):
    """The parsed files are kept by the SHA-256 of their bytes: a second validation gives the same
    messages, at the same lines, from the cache. A cache file that would rebuild any other object
    than plain values, dates and positions (here: one that runs a command) is ignored whole."""
    import pickle

    first, store = _validated_twice(project, "fiches.pickle")
    assert f"{OFFER}:" in first.stdout + first.stderr

    witness = tmp_path / "execute"

    class Poison:
        def __reduce__(self):
            return (os.system, (f"touch {witness}",))

    store.write_bytes(pickle.dumps({"sel": "x", "fiches": {"k": Poison()}}))
    third = project.run("validate")
    assert not witness.exists()
    assert third.stdout == first.stdout and "Traceback" not in third.stderr


def test_kept_checks_give_the_same_messages_and_a_photo_changed_under_the_same_name_is_checked_again(project):
    """Each record file's check is kept (verifications.pickle), by its bytes and all else it
    reads: a second validation says the same, at the same lines. A photo replaced by a too small
    one under the same name (its bytes are not in the key) is judged again, and so is its offer."""
    first, store = _validated_twice(project, "verifications.pickle")
    assert "boulangerie-ambert.jpg" not in first.stdout + first.stderr

    from PIL import Image

    Image.new("RGB", (320, 200), (200, 120, 40)).save(project.path("content/images/offres/boulangerie-ambert.jpg"))
    third = project.run("validate")
    said = third.stdout + third.stderr
    assert third.returncode == 1
    assert f"{OFFER}:" in said and "boulangerie-ambert.jpg" in said and "320" in said, said
    # Damaged, the kept checks are ignored whole: the same messages, nothing else.
    store.write_bytes(b"\x80\x05pas un pickle")
    fourth = project.run("validate")
    assert fourth.stdout == third.stdout and "Traceback" not in fourth.stderr


def test_a_kept_check_is_not_used_when_the_communes_reference_changed(project):
    """The communes reference is read by every check (a commune's code, its name): the project's
    own file, edited, makes every file checked again."""
    kit_csv = kit_communes()
    rows = kit_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    project.write("data/communes-france.csv", "".join(rows))
    assert project.run("validate").returncode == 0
    ambert = next(i for i, row in enumerate(rows) if row.startswith("63003,"))
    project.write("data/communes-france.csv", "".join(rows[:ambert] + rows[ambert + 1 :]))  # Ambert removed
    result = project.run("validate")
    assert result.returncode == 1
    assert f"{OFFER}:" in result.stdout + result.stderr


def test_kept_text_warnings_are_the_ones_a_fresh_check_gives(project):
    """A file's text warnings (a « # » that cuts a value short…) are kept with the checks, by its
    bytes: the next validation says them the same, at the same line, without reading the file's
    text again; the file changed, and they are those of its new text."""
    import pickle

    path = project.path(OFFER)
    text = path.read_text(encoding="utf-8")
    project.write(OFFER, text.replace("titre: Boulangerie-pâtisserie", "titre: Boulangerie # pâtisserie", 1))
    first = project.run("validate")
    warning = "titre : en YAML, « # » après une espace commence un commentaire"
    assert warning in first.stdout, first.stdout
    store = project.root / ".cache" / "contenu" / "verifications.pickle"
    kept = pickle.loads(store.read_bytes())["verifications"].values()
    assert any(v[0] == "avertissements" and any(warning in w[3] for w in v[1]) for v in kept)
    second = project.run("validate")
    assert second.stdout == first.stdout
    project.write(OFFER, text)
    third = project.run("validate")
    assert warning not in third.stdout, third.stdout


def test_the_previews_memory_gives_the_warnings_a_fresh_check_gives(project):
    """The preview keeps each file's warnings with its check (contentcache.PreviewMemory): a
    rebuild after an edit says those a fresh check says, for the edited offer and the others."""
    from territoire.build import check, read_settings
    from territoire.contentcache import PreviewMemory

    settings = read_settings(overrides=project.overrides())
    memory = PreviewMemory()
    check(settings, memory=memory)  # the first build fills the memory
    path = project.path(OFFER)
    text = path.read_text(encoding="utf-8")
    start = text.index("description: |")
    # A short description: a warning of its own (« la description est très courte »).
    project.write(OFFER, text[:start] + "description: |\n  Boulangerie à reprendre.\n")
    memory.trusted = True  # as the preview sets it: only a record file changed
    kept = check(settings, memory=memory).report
    fresh = check(settings).report

    def warnings(report) -> list[str]:
        return sorted(str(p) for p in report.problems if p.level == "avertissement")

    assert any("description est très courte" in w and OFFER in w for w in warnings(kept))
    assert warnings(kept) == warnings(fresh)
    assert len(warnings(kept)) > 1, "les autres fiches ont aussi des avertissements"
