from django.apps import AppConfig


class CatalogsConfig(AppConfig):
    name = "gongkai.catalogs"
    verbose_name = "标准目录与公文公开"
