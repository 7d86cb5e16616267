"""The supervisors' board page: the live board (contactcentre.firstline.board) rendered on the server
first, then kept current by static/console/board.js from the snapshots of /ws/board/, which have the
same shape: every figure on the page names its place in that dict (data-board="today.total.contacts",
rows by data-field), so the page and the script read one shape. The same permission as the socket."""

import json

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from casemanagement.models import Escalation
from contactcentre.api.screens import staff_screen
from contactcentre.firstline.board import VIEW_BOARD, supervisor_board
from contactcentre.interactions.models import Channel
from contactcentre.interactions.selectors import Door


@staff_screen(VIEW_BOARD)  # first: an anonymous visitor is sent to sign in whatever the method
@require_GET
def board(request):
    figures = supervisor_board()
    today = figures["today"]
    return render(
        request,
        "console/board.html",
        {
            "board": figures,
            "channel_rows": [(code, label, today["channels"][code]) for code, label in Channel.choices],
            "door_rows": [(code, label, today["doors"][code]) for code, label in Door.choices],
            # The script shows times and states as the page does.
            "time_zone": timezone.get_current_timezone_name(),
            "state_labels": json.dumps({code: str(label) for code, label in Escalation.State.choices}),
        },
    )
