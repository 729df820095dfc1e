from django.urls import path

from specs import search_views, views

app_name = "specs"

urlpatterns = [
    path("search/", search_views.search_page, name="search"),
    path("specs/new/", views.spec_create, name="spec_new"),
    path("profiles/", views.profile_list, name="profile_list"),
    path("profiles/new/", views.profile_create, name="profile_new"),
    path("specs/<slug:slug>/v<int:number>/source/", views.version_source, name="version_source"),
    path(
        "specs/<slug:slug>/v<int:number>/download/", views.version_download, name="version_download"
    ),
    path(
        "specs/<slug:slug>/files/<str:sha256>/<path:path>",
        views.version_file,
        name="version_file",
    ),
    path("specs/<slug:slug>/upload/", views.version_upload, name="version_upload"),
    path("specs/<slug:slug>/preview/", views.version_preview, name="version_preview"),
    path("specs/<slug:slug>/diff/", views.version_diff, name="version_diff"),
]
