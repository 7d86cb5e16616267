from django.urls import path

from channels_app.counter.api import views

urlpatterns = [
    path("counter/offices/<slug:office_code>/tickets", views.TicketTakeView.as_view(), name="counter-ticket-take"),
    path("counter/offices/<slug:office_code>/check-in", views.CheckInView.as_view(), name="counter-check-in"),
    path(
        "counter/offices/<slug:office_code>/appointments",
        views.AppointmentBookView.as_view(),
        name="counter-appointment-book",
    ),
    path("counter/offices/<slug:office_code>/call-next", views.CallNextView.as_view(), name="counter-call-next"),
    path("counter/tickets/<int:ticket_id>/recall", views.TicketRecallView.as_view(), name="counter-ticket-recall"),
    path("counter/tickets/<int:ticket_id>/serve", views.TicketServeView.as_view(), name="counter-ticket-serve"),
    path("counter/tickets/<int:ticket_id>/finish", views.TicketFinishView.as_view(), name="counter-ticket-finish"),
    path("counter/tickets/<int:ticket_id>/no-show", views.TicketNoShowView.as_view(), name="counter-ticket-no-show"),
]
