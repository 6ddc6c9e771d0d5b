"""Photos: every image of content/images/ published through the image pipeline (images.py),
and ``images`` for the templates (partials/picture.html draws a responsive ``<picture>``)."""

from __future__ import annotations

from ..images import load_images
from ..routes import Route, data


def template_context(site, derived, templates) -> dict:
    images = load_images(site.config)
    # The territory's picture (home page banner, brochure cover): {"picture", "alt"} or None.
    photo = site.config.TERRITOIRE_PHOTO_ACCUEIL or {}
    picture = images.get(photo.get("fichier", "")) if photo else None
    return {"images": images, "photo_accueil": {"picture": picture, "alt": photo.get("alt", "")} if picture else None}


def write(site, derived, templates) -> list[Route]:
    """Encode the photos missing from the cache, then declare every file to publish (images.py)."""
    images = templates.context["images"]
    images.make_missing()
    routes: list[Route] = []
    images.publish(lambda path, content: routes.append(data(path, content)))
    return routes
