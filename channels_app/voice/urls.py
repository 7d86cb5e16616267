from django.urls import path

from channels_app.voice import views

# Named "twilio-...": the deny-by-default walk (tests/api/test_url_access.py) knows these are
# public by design, refused unless Twilio signed them (tests/channels_app/test_voice_*.py).
urlpatterns = [
    path("", views.incoming, name="twilio-voice-incoming"),
    path("status", views.status, name="twilio-voice-status"),
    path("menu", views.menu, name="twilio-voice-menu"),
    path("menu/choice", views.menu_choice, name="twilio-voice-menu-choice"),
    path("life-event", views.life_event, name="twilio-voice-life-event"),
    path("case/reference", views.case_reference, name="twilio-voice-case-reference"),
    path("case/factor", views.case_factor, name="twilio-voice-case-factor"),
    path("callback", views.callback, name="twilio-voice-callback"),
    path("callback/number", views.callback_number, name="twilio-voice-callback-number"),
    path("wait", views.wait, name="twilio-voice-wait"),
    path("agent", views.agent, name="twilio-voice-agent"),
    path("connected", views.connected, name="twilio-voice-connected"),
]
