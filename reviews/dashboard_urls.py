from django.urls import path

from reviews import dashboard_views

urlpatterns = [
    path("", dashboard_views.dashboard_page, name="home"),
    path("dashboard/trends/", dashboard_views.trends_page, name="dashboard_trends"),
    path("dashboard/specs.csv", dashboard_views.export_csv, name="dashboard_export"),
]
