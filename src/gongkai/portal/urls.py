from django.urls import path

from gongkai.portal import apply, letters, track_files, views
from gongkai.reports import portal_views as annual_reports

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("prefs/", views.preferences, name="preferences"),
    # 依申请公开 (条例第二十九条): the online application and the progress page.
    path("apply/", apply.apply_form, name="apply"),
    path("apply/done/", apply.apply_done, name="apply_done"),
    path("track/", apply.track, name="track"),
    path("track/file/", track_files.track_file, name="track_file"),
    path("track/letters/<int:pk>.<slug:fmt>", letters.track_letter, name="track_letter"),
    # 政府信息公开年报 (条例第四十九条): an organisation's published annual reports.
    path(
        "gk/<str:org_key>/annual-reports/",
        annual_reports.annual_report_list,
        name="annual_report_list",
    ),
    path(
        "gk/<str:org_key>/annual-reports/<int:year>/",
        annual_reports.annual_report_detail,
        name="annual_report",
    ),
    path(
        "gk/<str:org_key>/annual-reports/<int:year>/download.<slug:fmt>",
        annual_reports.annual_report_download,
        name="annual_report_download",
    ),
]
