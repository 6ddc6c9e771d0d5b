"""Sharing: the Open Graph / Twitter card image of every offer page and of the site (the
other pages share the site's), and the site's icons and web app manifest (social.py).

base.html writes the meta tags of every page; a page names its own image with
``{% set partage_image = partage.offre(offer) %}`` (a site path), else the site's is used.
"""

from __future__ import annotations

import functools

from .. import social
from ..calendar import absolute_base
from ..routes import CONFIGURATION, CONTENT_ADDRESSED, Route, address, data


def sharing_ident(offer) -> str:
    """The name of an offer's sharing image: its address without the last « / »."""
    return address("offre", slug=offer.slug).rstrip("/")


class Sharing:
    """What templates ask: ``partage.offre(offer)`` and ``partage.site`` (site paths)."""

    def __init__(self, images: social.SharingImages):
        self._images = images

    def offre(self, offer) -> str | None:
        return self._images.path(sharing_ident(offer))

    @property
    def site(self) -> str:
        return self._images.path("site")


def template_context(site, derived, templates) -> dict:
    config = site.config
    images = templates.context["images"]
    sharing = social.SharingImages(images.cache, config.SITENAME)
    home = templates.context.get("photo_accueil")
    sharing.plan(
        "site",
        config.SITESUBTITLE or config.SITENAME,
        config.TERRITOIRE_NOM,
        home["picture"] if home else None,
        images,
    )
    for offer in site.published_offers:
        picture = images.offre(offer.photos[0]["fichier"]) if offer.photos else None
        commune = offer.place
        sharing.plan(
            sharing_ident(offer),
            offer.titre,
            social.offer_line(offer, commune.nom if commune else ""),
            picture,
            images,
        )
    return {
        "partage": Sharing(sharing),
        # og:url and og:image must be absolute: SITEURL, else https://TERRITOIRE_DOMAINE.
        "SITE_ABSOLU": absolute_base(site.config),
        "_partage_images": sharing,
    }


def write(site, derived, templates) -> list[Route]:
    sharing = templates.context["_partage_images"]
    sharing.make_missing()
    routes: list[Route] = []
    # A card's file name carries the SHA-256 of what it shows: the same name, the same bytes.
    sharing.publish(lambda path, content: routes.append(data(path, content, (CONTENT_ADDRESSED,))))
    network = site.config.TERRITOIRE_RESEAU or site.config.SITENAME
    # The icons and manifest, drawn only when a build writes them (not in the preview's partial
    # rebuilds: the settings they come from have not changed).
    icons = functools.cache(lambda: social.icon_files(site.config.SITENAME, network))
    names = [*social.ICON_SIZES, "favicon.ico", "site.webmanifest"]
    routes += [data(name, functools.partial(lambda n: icons()[n], name), (CONFIGURATION,)) for name in names]
    return routes
