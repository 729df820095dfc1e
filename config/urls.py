from django.contrib import admin
from django.urls import include, path

from core.metrics import metrics_view

urlpatterns = [
    path("", include("specs.urls")),
    path("", include("reviews.urls")),
    path("", include("notifications.urls")),
    path("", include("api.urls")),
    path("", include("webhooks.urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("metrics", metrics_view, name="metrics"),
]

handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
