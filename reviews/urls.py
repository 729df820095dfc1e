from django.urls import path

from reviews import views

urlpatterns = [
    path("specs/<slug:slug>/", views.review_page, name="spec"),
    path("specs/<slug:slug>/v<int:number>/", views.review_page, name="spec_version"),
    path(
        "specs/<slug:slug>/v<int:number>/lint-override/", views.lint_override, name="lint_override"
    ),
]
