"""What pages share to say where they are (no app imports here)."""


def fil_ariane(current: str, *links: tuple[str, str]) -> dict:
    """The `breadcrumb_data` that django-dsfr's breadcrumb reads: (title, url) links."""
    return {"current": current, "links": [{"title": t, "url": u} for t, u in links]}
