"""My messages (Mijn omgeving): everything the organisations wrote to me, newest first, on whatever
channel it went: an agent's answer to my web question (only here), a case's news, the outcome of my
question to a second-line organisation. Read through interactions' selector, the page logged."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from contactcentre.interactions.models import Notification
from contactcentre.interactions.selectors import notifications_of_citizen
from contactcentre.portal.mijn import citizen_required
from contactcentre.portal.own_rows import own_rows_page

# How the message reached (or will reach) me, as a citizen would say it.
CHANNEL_TEXT = {
    Notification.Channel.PORTAL: _lazy("In Mijn omgeving"),
    Notification.Channel.SMS: _lazy("Per sms"),
    Notification.Channel.EMAIL: _lazy("Per e-mail"),
    Notification.Channel.LETTER: _lazy("Per brief"),
}


@citizen_required  # first: an anonymous visitor is sent to sign in, whatever the method
@require_GET
def my_messages(request):
    messages = notifications_of_citizen(principal=request.citizen)
    page, shown = own_rows_page(request, messages, object_type="notification")
    rows = [
        {
            "subject": message.subject,
            "body": message.body,
            "when": message.sent_at or message.created_at,
            "channel": CHANNEL_TEXT.get(message.channel, message.channel),
            "not_sent": message.status != Notification.Status.SENT and message.channel != Notification.Channel.PORTAL,
        }
        for message in shown
    ]
    return render(request, "portal/mijn_berichten.html", {"page": page, "rows": rows})
