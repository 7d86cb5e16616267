from django.urls import include, path

from tests.api import views_for_tests

urlpatterns = [
    path("api/v1/_test/organisations", views_for_tests.ScopedOrganisationsView.as_view()),
    path("api/v1/_test/rule", views_for_tests.RuleViolationView.as_view()),
    path("api/v1/_test/crash", views_for_tests.CrashView.as_view()),
    path("", include("contactcentre.urls")),
]
