from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import User


@admin.register(User)
class SpecReviewUserAdmin(UserAdmin):
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Role", {"fields": ("title", "department")}))
    list_display = ["username", "first_name", "last_name", "email", "department", "title"]
    list_filter = ["department", "is_staff", "is_active"]
