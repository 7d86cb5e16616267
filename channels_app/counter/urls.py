from django.urls import path

from channels_app.counter import views

urlpatterns = [
    path("balie/<slug:code>/wachtkamer/", views.waiting_room, name="counter-waiting-room"),
]
