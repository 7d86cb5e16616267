from django.urls import path

from lifeevents.api import views

# Names start with "kb-public-": the deny-by-default test treats them as the public allowlist.
urlpatterns = [
    path("life-events/", views.LifeEventListView.as_view(), name="kb-public-life-events"),
    path("kennisbank/search/", views.ArticleSearchView.as_view(), name="kb-public-search"),
    path("kennisbank/articles/<slug:external_id>/", views.ArticleDetailView.as_view(), name="kb-public-article"),
    path(
        "kennisbank/articles/<slug:external_id>/feedback/",
        views.ArticleFeedbackView.as_view(),
        name="kb-public-feedback",
    ),
]
