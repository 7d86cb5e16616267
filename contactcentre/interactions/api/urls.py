from django.urls import path

from contactcentre.interactions.api import views, work_views

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
    path("work-items", work_views.WorkItemListView.as_view(), name="work-item-list"),
    path("work-items/claim-next", work_views.WorkItemClaimNextView.as_view(), name="work-item-claim-next"),
    path("work-items/<int:item_id>/claim", work_views.WorkItemClaimView.as_view(), name="work-item-claim"),
    path("work-items/<int:item_id>/release", work_views.WorkItemReleaseView.as_view(), name="work-item-release"),
    path("work-items/<int:item_id>/complete", work_views.WorkItemCompleteView.as_view(), name="work-item-complete"),
    path("work-items/<int:item_id>/reassign", work_views.WorkItemReassignView.as_view(), name="work-item-reassign"),
    path("work-queues/overview", work_views.WorkQueueOverviewView.as_view(), name="work-queue-overview"),
]
