from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/preferences/", views.preferences, name="preferences"),
    path("notifications/schedule/", views.schedule, name="schedule"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("notifications/admin/", views.admin_page, name="admin"),
    path("notifications/admin/<int:notification_id>/retry/", views.retry, name="retry"),
]
