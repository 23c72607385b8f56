from django.contrib.auth import views as auth_views
from django.urls import path

from gongkai.console.views import (
    accounts,
    audit,
    calendar,
    home,
    orgs,
    publications,
    reports,
    requests,
)
from gongkai.portal import console_guide

app_name = "console"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("orgs/", orgs.org_list, name="org_list"),
    path("orgs/new/", orgs.org_create, name="org_create"),
    path("orgs/<int:pk>/", orgs.org_detail, name="org_detail"),
    path("orgs/<int:pk>/edit/", orgs.org_edit, name="org_edit"),
    path("orgs/<int:pk>/guide/", console_guide.guide_edit, name="guide_edit"),
    path("orgs/<int:pk>/members/", orgs.membership_add, name="membership_add"),
    path("members/<int:pk>/remove/", orgs.membership_remove, name="membership_remove"),
    path("users/", accounts.user_list, name="user_list"),
    path("users/new/", accounts.user_create, name="user_create"),
    path("users/<int:pk>/deactivate/", accounts.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/unlock/", accounts.user_unlock, name="user_unlock"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("audit/export.csv", audit.audit_export, name="audit_export"),
    path("calendar/", calendar.calendar_list, name="calendar_list"),
    path("calendar/<int:year>/", calendar.calendar_edit, name="calendar_edit"),
    path("requests/", requests.request_list, name="request_list"),
    path("requests/overdue/", requests.request_overdue, name="request_overdue"),
    path("requests/new/", requests.request_register, name="request_register"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/reveal-id/", requests.request_reveal_id, name="request_reveal_id"),
    path("requests/<int:pk>/assign/", requests.request_assign, name="request_assign"),
    path("requests/<int:pk>/events/", requests.request_event_add, name="request_event_add"),
    path("requests/<int:pk>/close/", requests.request_close, name="request_close"),
    path("reports/", reports.report_index, name="report_index"),
    path("reports/<int:org_pk>/<int:year>/", reports.report_detail, name="report_detail"),
    path(
        "reports/<int:org_pk>/<int:year>/download.<slug:fmt>",
        reports.report_download,
        name="report_download",
    ),
    path("publications/", publications.pub_list, name="pub_list"),
    path("publications/new/", publications.pub_create, name="pub_create"),
    path("publications/review/", publications.pub_review_queue, name="pub_review_queue"),
    path("publications/timeliness/", publications.pub_timeliness, name="pub_timeliness"),
    path("publications/<int:pk>/", publications.pub_detail, name="pub_detail"),
    path("publications/<int:pk>/edit/", publications.pub_edit, name="pub_edit"),
    path("publications/<int:pk>/interpret/", publications.pub_interpret, name="pub_interpret"),
    path(
        "publications/<int:pk>/attachments/",
        publications.pub_attachment_add,
        name="pub_attachment_add",
    ),
    path(
        "publications/attachments/<int:pk>/remove/",
        publications.pub_attachment_remove,
        name="pub_attachment_remove",
    ),
    path(
        "publications/attachments/<int:pk>/download/",
        publications.pub_attachment_download,
        name="pub_attachment_download",
    ),
    path("publications/<int:pk>/submit/", publications.pub_submit, name="pub_submit"),
    path("publications/<int:pk>/review/", publications.pub_review, name="pub_review"),
    path("publications/<int:pk>/return/", publications.pub_return, name="pub_return"),
    path("publications/pii/<int:pk>/mask/", publications.pub_pii_mask, name="pub_pii_mask"),
    path(
        "publications/pii/<int:pk>/justify/", publications.pub_pii_justify, name="pub_pii_justify"
    ),
    path("publications/<int:pk>/publish/", publications.pub_publish, name="pub_publish"),
    path("publications/<int:pk>/withdraw/", publications.pub_withdraw, name="pub_withdraw"),
    path("publications/<int:pk>/amend/", publications.pub_amend, name="pub_amend"),
    path("publications/<int:pk>/validity/", publications.pub_validity, name="pub_validity"),
    path("publications/<int:pk>/reassess/", publications.pub_reassess, name="pub_reassess"),
]
