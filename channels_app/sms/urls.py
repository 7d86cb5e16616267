from django.urls import path

from channels_app.sms import views

urlpatterns = [
    path("sms/", views.sms_webhook, name="twilio-sms"),
]
