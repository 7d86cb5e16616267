from django.urls import path

from contactcentre.portal import callbacks, digid, mijn, my_contacts, my_messages, page_feedback, preferences, public

urlpatterns = [
    path("", public.home, name="public-home"),
    path("levensgebeurtenissen/<slug:slug>/", public.life_event, name="public-life-event"),
    path("antwoorden/<slug:external_id>/", public.article, name="public-article"),
    path("antwoorden/<slug:external_id>/reactie/", public.article_feedback, name="public-article-feedback"),
    path("zoeken/", public.search, name="public-search"),
    path("reactie/", page_feedback.page_feedback, name="public-page-feedback"),
]

urlpatterns += [
    path("mijn/inloggen/", mijn.login, name="portal-login"),
    path("mijn/inloggen/digid/", digid.callback, name="portal-digid-callback"),
    path("mijn/uitloggen/", mijn.logout, name="portal-logout"),
    path("mijn/", mijn.home, name="portal-home"),
    path("mijn/berichten/", my_messages.my_messages, name="portal-messages"),
    path("mijn/contacten/", my_contacts.my_contacts, name="portal-contacts"),
    path("mijn/gegevens/", mijn.my_data, name="portal-data"),
    path("mijn/gegevens/controle/", mijn.verify, name="portal-verify"),
    path("mijn/toestemmingen/", mijn.consents, name="portal-consents"),
    path("mijn/inzage/", mijn.processing_log, name="portal-processing-log"),
    path("mijn/vraag/", mijn.question, name="portal-question"),
    path("mijn/voorkeuren/", preferences.preferences, name="portal-preferences"),
    path("mijn/terugbellen/", callbacks.callbacks, name="portal-callbacks"),
    path("mijn/terugbellen/<int:callback_id>/annuleren/", callbacks.callback_cancel, name="portal-callback-cancel"),
]
