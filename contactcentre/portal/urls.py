from django.urls import path

from contactcentre.portal import public

urlpatterns = [
    path("", public.home, name="public-home"),
    path("levensgebeurtenissen/<slug:slug>/", public.life_event, name="public-life-event"),
    path("antwoorden/<slug:external_id>/", public.article, name="public-article"),
    path("antwoorden/<slug:external_id>/reactie/", public.article_feedback, name="public-article-feedback"),
    path("zoeken/", public.search, name="public-search"),
]
