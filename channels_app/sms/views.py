"""POST /twilio/sms/: Twilio's inbound-message webhook. Signed (channels_app.twilio_signature); answers
TwiML with the reply as a <Message>, or an empty <Response/> when there is nothing to say."""

from django.http import HttpResponse
from twilio.twiml.messaging_response import MessagingResponse

from channels_app.sms.services import sms_message_receive
from channels_app.twilio_signature import twilio_signed
from contactcentre.errors import ValidationFailed


def twiml_message(reply: str) -> HttpResponse:
    twiml = MessagingResponse()
    if reply:
        twiml.message(reply)
    return HttpResponse(str(twiml), content_type="text/xml; charset=utf-8")


@twilio_signed
def sms_webhook(request):
    try:
        answer = sms_message_receive(
            message_sid=request.POST.get("MessageSid", ""),
            sender=request.POST.get("From", ""),
            body=request.POST.get("Body", ""),
        )
    except ValidationFailed:
        return HttpResponse(status=400)
    return twiml_message(answer.reply)
