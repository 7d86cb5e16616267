from django.urls import path

from channels_app.email import api

urlpatterns = [
    path("email/messages", api.RawMessageView.as_view(), name="email-raw-message"),
]
