from django.contrib.auth import views as auth_views
from django.urls import path

from gongkai.console.views import accounts, audit, calendar, home, orgs, reports, requests

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
    path("reports/<int:org_pk>/<int:year>/start/", reports.report_start, name="report_start"),
    path(
        "reports/<int:org_pk>/<int:year>/publish/",
        reports.report_publish_view,
        name="report_publish",
    ),
    path("reports/<int:org_pk>/compare/", reports.report_compare, name="report_compare"),
    path(
        "reports/<int:org_pk>/<int:year>/download.<slug:fmt>",
        reports.report_download,
        name="report_download",
    ),
]
