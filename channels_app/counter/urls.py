from django.urls import path

from channels_app.counter import desk, views

_ticket = "balie/<slug:code>/tickets/<int:ticket_id>"

urlpatterns = [
    path("balie/", desk.desks, name="counter-desks"),
    path("balie/<slug:code>/", desk.desk, name="counter-desk"),
    path("balie/<slug:code>/wachtrij/", desk.queue, name="counter-desk-queue"),
    path("balie/<slug:code>/mijn-balie/", desk.desk_choose, name="counter-desk-choose"),
    path("balie/<slug:code>/volgende/", desk.call_next, name="counter-desk-call-next"),
    path(f"{_ticket}/opnieuw-roepen/", desk.recall, name="counter-desk-recall"),
    path(f"{_ticket}/niet-verschenen/", desk.no_show, name="counter-desk-no-show"),
    path(f"{_ticket}/helpen/", desk.serve, name="counter-desk-serve"),
    path(f"{_ticket}/identiteit/", desk.identity_check, name="counter-desk-identity"),
    path(f"{_ticket}/afronden/", desk.finish, name="counter-desk-finish"),
    path(f"{_ticket}/samenvatting/", desk.summary, name="counter-desk-summary"),
    path("balie/<slug:code>/wachtkamer/", views.waiting_room, name="counter-waiting-room"),
]
