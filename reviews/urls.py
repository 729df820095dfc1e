from django.urls import path

from reviews import comment_views, views

urlpatterns = [
    path("decisions/", views.decision_log, name="decision_log"),
    path("specs/<slug:slug>/", views.review_page, name="spec"),
    path("specs/<slug:slug>/v<int:number>/", views.review_page, name="spec_version"),
    path(
        "specs/<slug:slug>/v<int:number>/lint-override/", views.lint_override, name="lint_override"
    ),
    path("specs/<slug:slug>/transition/", views.transition, name="transition"),
    path("specs/<slug:slug>/sign-off/", views.sign_off, name="sign_off"),
    path("specs/<slug:slug>/gates/", views.tick_gate, name="tick_gate"),
    path("specs/<slug:slug>/gates/carry-over/", views.carry_over_gates, name="carry_over_gates"),
    path("specs/<slug:slug>/decisions/", views.record_decision, name="record_decision"),
    path("specs/<slug:slug>/raci/", views.assign_raci, name="assign_raci"),
    path("specs/<slug:slug>/raci/remove/", views.unassign_raci, name="unassign_raci"),
    path("specs/<slug:slug>/raci/apply/", views.apply_raci_proposal, name="apply_raci_proposal"),
    path("specs/<slug:slug>/comments/", comment_views.add_comment, name="add_comment"),
    path("specs/<slug:slug>/comments/reply/", comment_views.reply_comment, name="reply_comment"),
    path(
        "specs/<slug:slug>/comments/<str:change>/",
        comment_views.change_comment,
        name="change_comment",
    ),
]
