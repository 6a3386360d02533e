"""Sections that apps above `conventions` add to a commune's dossier page (Ingénierie,
Actions, Financements…), without `conventions` importing them: each app registers its
sections when it is ready (`AppConfig.ready`), and the dossier page renders them as tabs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string


@dataclass(frozen=True)
class Section:
    key: str  # the tab's id
    titre: str
    template: str
    # (request, dossier) → the template's context; its queries must not grow with the data.
    context: Callable[..., dict]
    ordre: int = 0


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    _SECTIONS[section.key] = section


def registered() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda section: section.ordre)


def render_sections(request, dossier) -> list[tuple[Section, str]]:
    """Each registered section with its HTML for this dossier."""
    return [
        (
            section,
            render_to_string(
                section.template,
                {"dossier": dossier, **section.context(request, dossier)},
                request=request,
            ),
        )
        for section in registered()
    ]
