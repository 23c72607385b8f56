from django.urls import include, path

urlpatterns = [
    path("console/", include("gongkai.console.urls")),
    path("", include("gongkai.portal.urls")),
]
