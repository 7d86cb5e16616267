from django.urls import path

from channels_app.simulator import views

urlpatterns = [
    path("", views.twilio_simulator, name="demo-twilio-simulator"),
]
