from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from gongkai.portal import (
    api,
    apply,
    column,
    document,
    feeds,
    letters,
    search_page,
    track_files,
    views,
)
from gongkai.portal.sitemaps import SITEMAPS
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
    # 政府信息公开 column of each organisation (RULES.md §5.5).
    path("gk/", column.district, name="district"),
    path("gk/<int:org_pk>/", column.column_home, name="column"),
    path("gk/<int:org_pk>/guide/", column.guide, name="guide"),
    path("gk/<int:org_pk>/system/", column.system, name="system"),
    path("gk/<int:org_pk>/statutory/", column.statutory, name="statutory"),
    path(
        "gk/<int:org_pk>/statutory/<str:category>/",
        column.statutory_category,
        name="statutory_category",
    ),
    path(
        "gk/<int:org_pk>/statutory/<str:category>/feed.xml",
        feeds.OrganizationCategoryFeed(),
        name="org_category_feed",
    ),
    path("gk/<int:org_pk>/policies/", column.policies, name="policies"),
    path("gk/<int:org_pk>/interpretations/", column.interpretations, name="interpretations"),
    path("gk/<int:org_pk>/catalog/", column.catalog, name="catalog"),
    path("gk/<int:org_pk>/feed.xml", feeds.OrganizationFeed(), name="org_feed"),
    # District-wide, across organisations (kept for existing subscribers).
    path("gk/categories/<str:category>/feed.xml", feeds.CategoryFeed(), name="category_feed"),
    path("gk/publications/<int:pk>/", document.publication_detail, name="publication"),
    path(
        "gk/publications/<int:pk>/attachments/<int:attachment_pk>/",
        document.attachment_download,
        name="attachment",
    ),
    path("search/", search_page.search_page, name="search"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "portal:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    # Read-only catalog API; its OpenAPI document stays at this address.
    path("api/openapi.json", api.openapi_document, name="api_openapi"),
    path("api/v1/publications/", api.publication_list, name="api_publications"),
    path("api/v1/publications/<int:pk>/", api.publication_detail, name="api_publication"),
    path("api/v1/organizations/", api.organization_list, name="api_organizations"),
]
