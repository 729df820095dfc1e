from django.urls import path

from webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("webhooks/", views.subscriptions, name="list"),
    path("webhooks/<int:subscription_id>/", views.detail, name="detail"),
    path("webhooks/<int:subscription_id>/stop/", views.unsubscribe, name="unsubscribe"),
    path(
        "webhooks/<int:subscription_id>/deliveries/<int:delivery_id>/redeliver/",
        views.redeliver,
        name="redeliver",
    ),
]
