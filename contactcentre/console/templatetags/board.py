"""How the board shows a figure; static/console/board.js formats its live updates the same way."""

from django import template

from casemanagement.models import Escalation

register = template.Library()


@register.filter
def duration(seconds) -> str:
    """Seconds as minutes:seconds ("4:05"); none (nothing ended yet) as a dash."""
    if seconds is None:
        return "–"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


@register.filter
def escalation_state(code: str) -> str:
    """An escalation's state as the page names it (the script has the same names, data-state-labels)."""
    return Escalation.State(code).label
