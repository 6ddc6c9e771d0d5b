"""Photos: every image of content/images/ published through the image pipeline (images.py),
and ``images`` for the templates (partials/picture.html draws a responsive ``<picture>``)."""

from __future__ import annotations

from ..images import load_images


def add_context(gen, site) -> None:
    images = load_images(site.config)
    gen.context["images"] = images
    # The territory's picture (home page banner, brochure cover): {"picture", "alt"} or None.
    photo = site.config.TERRITOIRE_PHOTO_ACCUEIL or {}
    picture = images.get(photo.get("fichier", "")) if photo else None
    gen.context["photo_accueil"] = {"picture": picture, "alt": photo.get("alt", "")} if picture else None


def write(gen, site) -> None:
    """Encode the photos missing from the cache, then publish every file (images.py)."""
    images = gen.context["images"]
    images.make_missing()
    images.publish(gen.write_data)
