from django.urls import path

from channels_app.email import api

urlpatterns = [
    path("email/messages", api.RawMessageView.as_view(), name="email-raw-message"),
    path("email/messages/<int:message_id>/replies", api.EmailReplyView.as_view(), name="email-reply"),
    path("email/threads/<int:thread_id>", api.EmailThreadView.as_view(), name="email-thread"),
]
