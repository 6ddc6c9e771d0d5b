"""Front-end files pinned and installed from the npm registry on first build (vendor.py), tested
against a real HTTP server on 127.0.0.1 serving npm-style tarballs."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import tarfile
from pathlib import Path

import pytest
from conftest import serve_folder
from territoire.settings import THEME_PATH as KIT_THEME
from territoire.vendor import PACKAGES, Package, VendorError, ensure_installed


def _tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


@pytest.fixture
def registry(tmp_path):
    """A folder served over HTTP like the npm registry: <name>/-/<name>-<version>.tgz."""
    folder = tmp_path / "registre"
    folder.mkdir()
    server = serve_folder(folder)
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _publish(folder: Path, name: str, version: str, data: bytes) -> None:
    (folder / name / "-").mkdir(parents=True, exist_ok=True)
    (folder / name / "-" / f"{name}-{version}.tgz").write_bytes(data)


def _package(integrity: str) -> Package:
    return Package(
        "outil", "1.2.3", integrity, "vendor/outil", {"package/dist/outil.js": "outil.js", "package/LICENSE": "LICENSE"}
    )


def test_a_pinned_package_is_installed_once_then_left_alone(registry, tmp_path):
    folder, url = registry
    data = _tarball(
        {"package/dist/outil.js": b"console.log(1);\n", "package/LICENSE": b"MIT\n", "package/README.md": b"x"}
    )
    _publish(folder, "outil", "1.2.3", data)
    theme = tmp_path / "theme"
    said = []
    ensure_installed(theme, said.append, [_package(_integrity(data))], url)
    target = theme / "static" / "vendor" / "outil"
    assert (target / "outil.js").read_bytes() == b"console.log(1);\n"
    assert sorted(p.name for p in target.iterdir()) == [
        "LICENSE",
        "outil.js",
    ]  # only the named files; no stamp published
    assert said == ["Installation de outil@1.2.3 depuis le registre npm (une seule fois)…"]
    # Installed: the next build neither downloads nor says anything, even with the registry gone.
    (folder / "outil" / "-" / "outil-1.2.3.tgz").unlink()
    ensure_installed(theme, said.append, [_package(_integrity(data))], url)
    assert len(said) == 1
    # A file deleted by hand is installed again.
    (target / "outil.js").unlink()
    with pytest.raises(VendorError):
        ensure_installed(theme, said.append, [_package(_integrity(data))], url)


def test_a_tarball_whose_digest_differs_installs_nothing(registry, tmp_path):
    folder, url = registry
    _publish(folder, "outil", "1.2.3", _tarball({"package/dist/outil.js": b"altered", "package/LICENSE": b"MIT\n"}))
    theme = tmp_path / "theme"
    previous = theme / "static" / "vendor" / "outil" / "outil.js"
    previous.parent.mkdir(parents=True)
    previous.write_bytes(b"previous version")
    expected = _integrity(b"the pinned tarball")
    with pytest.raises(
        VendorError,
        match=rf"outil@1.2.3 téléchargé depuis .* n'a pas l'empreinte attendue \(trouvée : sha512-.* ; attendue : {re.escape(expected)}\) : rien n'a été installé",
    ):
        ensure_installed(theme, print, [_package(expected)], url)
    assert previous.read_bytes() == b"previous version"


def test_an_unreachable_registry_is_a_french_error(registry, tmp_path):
    _folder, url = registry  # nothing published: the server answers 404
    with pytest.raises(
        VendorError,
        match=r"outil@1.2.3 n'a pas pu être téléchargé depuis http://127.0.0.1:\d+/outil/-/outil-1.2.3.tgz .* il faut un accès au registre npm",
    ):
        ensure_installed(tmp_path / "theme", print, [_package(_integrity(b"x"))], url)


def test_a_failed_install_stops_the_build_and_keeps_the_previous_site(registry, project, tmp_path, monkeypatch):
    """An uninstalled package on a machine without the registry: French error, old site intact."""
    import shutil

    from conftest import BUILD_DATE
    from territoire.build import BuildError, build

    theme = tmp_path / "theme-copie"
    shutil.copytree(KIT_THEME, theme, ignore=shutil.ignore_patterns("decap-cms.js", ".decap-cms.installe"))
    monkeypatch.setenv("TERRITOIRE_NPM_REGISTRY", registry[1])
    previous = project.output / "index.html"
    previous.parent.mkdir(parents=True)
    previous.write_text("ancienne version", encoding="utf-8")
    with pytest.raises(
        BuildError, match=r"decap-cms@3.16.3 n'a pas pu être téléchargé .* Le site précédent est intact"
    ):
        build(
            output=str(project.output),
            date=BUILD_DATE,
            quiet=True,
            overrides={**project.overrides(), "THEME": str(theme)},
        )
    assert previous.read_text(encoding="utf-8") == "ancienne version"


def test_the_pins_match_the_installed_files_and_versions_md(built_site):
    decap = next(p for p in PACKAGES if p.name == "decap-cms")
    stamp = (KIT_THEME / ".decap-cms.installe").read_text(encoding="utf-8")
    assert stamp == f"decap-cms@{decap.version} {decap.integrity}\n"
    assert (built_site / "theme" / "vendor" / "decap-cms" / "decap-cms.js").stat().st_size > 1_000_000
    assert not (built_site / "theme" / ".decap-cms.installe").exists()
    versions = (KIT_THEME / "static" / "vendor" / "VERSIONS.md").read_text(encoding="utf-8")
    assert f"| decap-cms | {decap.version} |" in versions


# --- The kit's list of communes (communes_data.py): the pinned package joined with the centres ---
def _communes_package(folder: Path, communes: list, integrity: str | None = None):
    """The list's source package, published in ``folder`` under its real scoped name, pinned to
    ``integrity`` (its own digest unless told)."""
    import json

    from territoire import communes_data

    epci = [{"code": "200070761", "nom": "CC Ambert Livradois Forez", "membres": [{"code": "63003"}]}]
    departments = [{"code": "63", "nom": "Puy-de-Dôme"}, {"code": "971", "nom": "Guadeloupe"}]
    data = _tarball(
        {
            "package/data/communes.json": json.dumps(communes).encode(),
            "package/data/epci.json": json.dumps(epci).encode(),
            "package/data/departements.json": json.dumps(departments).encode(),
        }
    )
    (folder / "@etalab" / "decoupage-administratif" / "-").mkdir(parents=True, exist_ok=True)
    (folder / "@etalab" / "decoupage-administratif" / "-" / "decoupage-administratif-6.0.0.tgz").write_bytes(data)
    pinned = communes_data.SOURCE
    return Package(pinned.name, pinned.version, integrity or _integrity(data), pinned.folder, pinned.files)


COMMUNES = [
    {"code": "63003", "nom": "Ambert", "type": "commune-actuelle", "zone": "metro", "departement": "63",
     "region": "84", "codesPostaux": ["63600"], "population": 6517},
    {"code": "63001", "nom": "Aigueperse", "type": "commune-actuelle", "zone": "metro", "departement": "63",
     "region": "84", "codesPostaux": ["63260", "63261"], "population": 0},
    {"code": "63999", "nom": "Ancienne", "type": "commune-deleguee", "zone": "metro", "departement": "63", "region": "84"},
    {"code": "97101", "nom": "Les Abymes", "type": "commune-actuelle", "zone": "drom", "departement": "971", "region": "01"},
]  # fmt: skip


def test_the_list_of_communes_is_made_once_from_the_pinned_package_and_the_centres(registry, tmp_path, monkeypatch):
    """Current communes of metropolitan France, in code order, with their department's name, their
    intercommunality (none: empty cells) and their centre (none: empty cells); made once, then
    left alone even with the registry gone; new centres make it again."""
    from territoire import communes_data

    folder, url = registry
    monkeypatch.setattr(communes_data, "SOURCE", _communes_package(folder, COMMUNES))
    target, centres, stamp = tmp_path / "communes.csv", tmp_path / "centres.csv", tmp_path / ".installe"
    centres.write_text("insee,latitude,longitude\n63003,45.5495,3.74175\n", encoding="utf-8")
    said = []
    made = communes_data._made.__wrapped__
    assert made(target, centres, stamp, url, said.append) == target
    assert said == [
        "Liste des communes de France : installation de @etalab/decoupage-administratif@6.0.0 "
        "depuis le registre npm (une seule fois)…"
    ]
    assert target.read_bytes().decode("utf-8").split("\r\n") == [
        ",".join(communes_data.COLUMNS),
        "63001,Aigueperse,63,Puy-de-Dôme,84,,,63260 63261,0,,",
        "63003,Ambert,63,Puy-de-Dôme,84,200070761,CC Ambert Livradois Forez,63600,6517,45.5495,3.74175",
        "",
    ]
    made(target, centres, stamp, "http://127.0.0.1:9/", said.append)  # nothing downloaded
    assert len(said) == 1
    centres.write_text("insee,latitude,longitude\n63001,46.0242,3.2125\n63003,45.5495,3.74175\n", encoding="utf-8")
    made(target, centres, stamp, url, said.append)
    assert len(said) == 2 and "63001,Aigueperse,63,Puy-de-Dôme,84,,,63260 63261,0,46.0242,3.2125" in target.read_text(
        encoding="utf-8"
    )


def test_a_package_whose_digest_differs_makes_no_list_and_says_why_in_french(registry, tmp_path, monkeypatch):
    from territoire import communes_data
    from territoire.run import BuildError

    folder, url = registry
    monkeypatch.setattr(communes_data, "SOURCE", _communes_package(folder, COMMUNES, integrity="sha512-AAAA"))
    target, centres, stamp = tmp_path / "communes.csv", tmp_path / "centres.csv", tmp_path / ".installe"
    centres.write_text("insee,latitude,longitude\n", encoding="utf-8")
    target.write_text("la liste précédente\n", encoding="utf-8")
    with pytest.raises(BuildError) as raised:
        communes_data._made.__wrapped__(target, centres, stamp, url, lambda _: None)
    message = str(raised.value)
    assert message.startswith("La liste des communes de France n'a pas pu être faite : @etalab/decoupage-administratif")
    assert "n'a pas l'empreinte attendue" in message and "rien n'a été installé" in message
    assert target.read_text(encoding="utf-8") == "la liste précédente\n" and not stamp.exists()


def test_the_pinned_package_and_centres_give_the_list_the_kit_always_had():
    """The list made from the real pin (registry.npmjs.org, on first use) is, byte for byte, the
    3.4 MiB file the kit kept in its repository until 7 December 2026 (34,746 communes)."""
    from territoire.communes_data import kit_communes

    made = kit_communes().read_bytes()
    assert hashlib.sha256(made).hexdigest() == "3bba78f9b53c077752d10063ec4ccdf6b313a1ad5341967291fde679a9c3435c"
    assert made.count(b"\r\n") == 34_747
