"""Front-end files too large to keep in the repository, pinned here and installed from the npm
registry on first build.

Decap CMS's bundle (/admin/) is 5 MiB: it is not committed. Its version and the tarball's
SHA-512 (the ``integrity`` of npm's lock files) are pinned below; the build downloads the
tarball once with the standard library (no npm needed: `make html` works with Python alone),
checks its digest, and writes the named files into the theme's static folder, with a stamp
naming what was installed (``theme/.<name>.installe``, outside the published files). A later
build finds the stamp and does nothing. A failed download or a digest that does not match
stops the build with a French message and leaves the previous files and site untouched.
``TERRITOIRE_NPM_REGISTRY`` names a mirror.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tarfile
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_REGISTRY = "https://registry.npmjs.org"


class VendorError(Exception):
    """A pinned front-end package could not be installed: the message says why, in French."""


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    integrity: str  # "sha512-<base64>", as in package-lock.json
    folder: str  # under the theme's static folder
    files: dict[str, str] = field(default_factory=dict)  # member of the tarball → file name

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"

    def tarball(self, registry: str) -> str:
        # A scoped package (« @scope/name ») has its tarball under its bare name.
        return f"{registry.rstrip('/')}/{self.name}/-/{self.name.rsplit('/', 1)[-1]}-{self.version}.tgz"


PACKAGES = [
    Package(
        name="decap-cms",
        version="3.16.3",
        integrity="sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw==",
        folder="vendor/decap-cms",
        files={
            "package/dist/decap-cms.js": "decap-cms.js",
            "package/dist/decap-cms.js.LICENSE.txt": "decap-cms.js.LICENSE.txt",
        },
    ),
]


def ensure_installed(theme: Path, say=print, packages: list[Package] = PACKAGES, registry: str | None = None) -> None:
    """Install every pinned package whose stamp is missing or names another version."""
    registry = registry or default_registry()
    for package in packages:
        target = Path(theme) / "static" / package.folder
        stamp = Path(theme) / f".{package.name}.installe"
        if _installed(target, stamp, package):
            continue
        say(f"Installation de {package.label} depuis le registre npm (une seule fois)…")
        install(package, target, stamp, registry)


def default_registry() -> str:
    """The npm registry: TERRITOIRE_NPM_REGISTRY names a mirror."""
    return os.environ.get("TERRITOIRE_NPM_REGISTRY") or DEFAULT_REGISTRY


def _stamp_text(package: Package) -> str:
    return f"{package.label} {package.integrity}\n"


def _installed(target: Path, stamp: Path, package: Package) -> bool:
    try:
        text = stamp.read_text(encoding="utf-8")
    except OSError:
        return False
    return text == _stamp_text(package) and all((target / name).is_file() for name in package.files.values())


def install(package: Package, target: Path, stamp: Path, registry: str) -> None:
    contents = fetch(package, registry)
    target.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)  # the stamp goes last: an interrupted install is redone
    for name, content in contents.items():
        replace_file(target / name, content)
    replace_file(stamp, _stamp_text(package).encode("utf-8"))


def fetch(package: Package, registry: str) -> dict[str, bytes]:
    """The package's named files (file name → bytes), from its tarball downloaded and checked
    against its pinned digest."""
    url = package.tarball(registry)
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            data = response.read()
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise VendorError(
            f"{package.label} n'a pas pu être téléchargé depuis {url} ({reason}) ; il faut un accès au registre npm "
            "à la première construction (ou TERRITOIRE_NPM_REGISTRY pour un miroir)."
        ) from None
    found = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")
    if found != package.integrity:
        raise VendorError(
            f"{package.label} téléchargé depuis {url} n'a pas l'empreinte attendue (trouvée : {found} ; attendue : {package.integrity}) : rien n'a été installé."
        )
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            return {name: archive.extractfile(member).read() for member, name in package.files.items()}
    except (tarfile.TarError, KeyError, AttributeError) as exc:
        raise VendorError(
            f"l'archive de {package.label} ne contient pas les fichiers attendus ({exc}) : rien n'a été installé."
        ) from None


def replace_file(path: Path, content: bytes) -> None:
    """Write next to ``path``, then rename over it: a reader sees the old file or the new one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
