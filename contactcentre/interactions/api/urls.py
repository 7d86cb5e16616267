from django.urls import path

from contactcentre.interactions.api import views

urlpatterns = [
    path("contact-moments", views.ContactMomentListView.as_view(), name="contact-moment-list"),
    path("contact-moments/<int:contact_id>", views.ContactMomentDetailView.as_view(), name="contact-moment-detail"),
    path(
        "contact-moments/<int:contact_id>/close",
        views.ContactMomentCloseView.as_view(),
        name="contact-moment-close",
    ),
    path(
        "contact-moments/<int:contact_id>/identity-check",
        views.ContactMomentIdentityCheckView.as_view(),
        name="contact-moment-identity-check",
    ),
    path("callback-requests", views.CallbackRequestListView.as_view(), name="callback-request-list"),
    path(
        "callback-requests/<int:callback_id>/status",
        views.CallbackRequestStatusView.as_view(),
        name="callback-request-status",
    ),
]
