from django.urls import path

from specs import views

urlpatterns = [
    path("", views.home, name="home"),
]
