"""The waiting-room display page: the screen in the office shows the last called numbers and their
desks, and follows the calls live over its websocket (static/counter/display.js).

Who may open it: the office's display device, with the signed link an administrator copies from the
office's admin page (`?token=`); no log-in, as the screen has no keyboard and nobody at it. The page
shows no personal data (numbers and desks only), yet an open page would let anyone follow an office's
traffic, so without a valid link it is a 403. Renewing the link in the admin revokes the old one.
"""

from django.http import HttpResponseForbidden, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from channels_app.counter.selectors import office_display_calls, office_for_display


@never_cache
def waiting_room(request, code: str):
    token = request.GET.get("token", "")
    office = office_for_display(code=code, token=token)
    if office is None:
        return HttpResponseForbidden(_("Deze schermlink is niet (meer) geldig."))
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    calls = office_display_calls(office=office)
    return render(
        request,
        "counter/waiting_room.html",
        {
            "office": office,
            "latest": calls[0] if calls else None,
            "earlier": calls[1:],
            "socket_path": f"/ws/office/{office.code}/display/?token={token}",
        },
    )
