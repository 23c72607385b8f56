from django.urls import path

from gongkai.portal import apply, letters, track_files, views

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
]
