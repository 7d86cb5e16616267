from django.urls import path

from casemanagement.api import views

urlpatterns = [
    path("cases", views.CaseListView.as_view(), name="case-list"),
    path("cases/lookup", views.CaseLookupView.as_view(), name="case-lookup"),
    path("cases/citizen-lookup", views.CitizenCaseLookupView.as_view(), name="case-citizen-lookup"),
    path("cases/<int:case_id>", views.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<int:case_id>/statuses", views.CaseStatusView.as_view(), name="case-statuses"),
    path("cases/<int:case_id>/suspension", views.CaseSuspensionView.as_view(), name="case-suspension"),
    path("cases/<int:case_id>/extension", views.CaseExtensionView.as_view(), name="case-extension"),
    path("case-types", views.CaseTypeListView.as_view(), name="case-type-list"),
    path("escalations", views.EscalationListView.as_view(), name="escalation-list"),
    path("escalations/preview", views.EscalationPreviewView.as_view(), name="escalation-preview"),
    path("escalations/<str:reference>", views.EscalationDetailView.as_view(), name="escalation-detail"),
    path(
        "escalations/<str:reference>/acknowledge",
        views.EscalationAcknowledgeView.as_view(),
        name="escalation-acknowledge",
    ),
    path(
        "escalations/<str:reference>/attachments",
        views.EscalationAttachmentsView.as_view(),
        name="escalation-attachments",
    ),
    path(
        "escalations/<str:reference>/attachments/<uuid:key>",
        views.EscalationAttachmentDownloadView.as_view(),
        name="escalation-attachment",
    ),
    path("escalations/<str:reference>/accept", views.EscalationAcceptView.as_view(), name="escalation-accept"),
    path("escalations/<str:reference>/start", views.EscalationStartView.as_view(), name="escalation-start"),
    path("escalations/<str:reference>/resolve", views.EscalationResolveView.as_view(), name="escalation-resolve"),
    path("escalations/<str:reference>/return", views.EscalationReturnView.as_view(), name="escalation-return"),
    path("escalations/<str:reference>/forward", views.EscalationForwardView.as_view(), name="escalation-forward"),
    path(
        "parties/<int:party_id>/base-data-requests",
        views.BaseDataRequestView.as_view(),
        name="party-base-data-request",
    ),
    path("first-line/completions", views.FirstLineCompletionView.as_view(), name="first-line-completion"),
]
