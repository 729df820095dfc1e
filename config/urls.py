from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("specs.urls")),
    path("", include("reviews.urls")),
    path("", include("notifications.urls")),
    path("", include("api.urls")),
    path("", include("webhooks.urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
