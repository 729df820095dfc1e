from django.urls import path

from reviews.views import comments, dashboard, decisions, live, spec_page, steps

app_name = "reviews"

urlpatterns = [
    path("", dashboard.dashboard_page, name="home"),
    path("dashboard/trends/", dashboard.trends_page, name="dashboard_trends"),
    path("dashboard/specs.csv", dashboard.export_csv, name="dashboard_export"),
    path("decisions/", decisions.decision_log, name="decision_log"),
    path("specs/<slug:slug>/", spec_page.review_page, name="spec"),
    path("specs/<slug:slug>/v<int:number>/", spec_page.review_page, name="spec_version"),
    path(
        "specs/<slug:slug>/v<int:number>/lint-override/", steps.lint_override, name="lint_override"
    ),
    path("specs/<slug:slug>/changes/", live.spec_changes, name="spec_changes"),
    path("specs/<slug:slug>/transition/", steps.transition, name="transition"),
    path("specs/<slug:slug>/sign-off/", steps.sign_off, name="sign_off"),
    path("specs/<slug:slug>/sign-off/withdraw/", steps.withdraw_signoff, name="withdraw_signoff"),
    path("specs/<slug:slug>/gates/", steps.tick_gate, name="tick_gate"),
    path("specs/<slug:slug>/gates/several/", steps.tick_gates, name="tick_gates"),
    path("specs/<slug:slug>/gates/carry-over/", steps.carry_over_gates, name="carry_over_gates"),
    path("specs/<slug:slug>/decisions/", decisions.record_decision, name="record_decision"),
    path("specs/<slug:slug>/raci/", steps.assign_raci, name="assign_raci"),
    path("specs/<slug:slug>/raci/remove/", steps.unassign_raci, name="unassign_raci"),
    path("specs/<slug:slug>/raci/apply/", steps.apply_raci_proposal, name="apply_raci_proposal"),
    path("specs/<slug:slug>/raci/sections/", steps.set_area_sections, name="set_area_sections"),
    path("specs/<slug:slug>/comments/", comments.add_comment, name="add_comment"),
    path("specs/<slug:slug>/comments/reply/", comments.reply_comment, name="reply_comment"),
    path(
        "specs/<slug:slug>/comments/<str:change>/",
        comments.change_comment,
        name="change_comment",
    ),
]
