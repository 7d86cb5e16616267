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
]
