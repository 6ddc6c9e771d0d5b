"""The events: /evenements/ and a page per event."""

from __future__ import annotations


def write(gen, writer, site) -> None:
    gen.render(writer, "evenements/index.html", "evenements", upcoming=site.upcoming_events(), past=site.past_events())
    for event in site.events:
        gen.render(writer, f"{event.url}index.html", "evenement", event=event, commune=site.commune(event.commune), partners=[site.partners[p] for p in event.partenaires or []])
