"""Seed the official holiday arrangements 2004–2026 from the chinesecalendar package.

chinesecalendar 1.11 transcribes each year's 《国务院办公厅关于YYYY年部分节假日安排的通知》
(its scripts/data.py cites the gov.cn notices). The year range is fixed here so that a newer
package release cannot change what this migration writes.
"""

from django.db import migrations

SEED_YEARS = range(2004, 2027)
NOTES = "据 chinesecalendar 数据导入"
# Taken from the notices themselves (RULES.md §6); other years are left blank.
DOCUMENT_NUMBERS = {2022: "国办发明电〔2021〕11号"}
SOURCE_URLS = {
    2025: "https://www.gov.cn/zhengce/content/202411/content_6986382.htm",
    2026: "https://www.gov.cn/zhengce/content/202511/content_7047090.htm",
}


def seed(apps, schema_editor):
    from chinese_calendar.constants import Holiday, holidays, workdays

    HolidayArrangement = apps.get_model("core", "HolidayArrangement")
    CalendarDay = apps.get_model("core", "CalendarDay")
    arrangements = {
        year: HolidayArrangement.objects.create(
            year=year,
            title=f"国务院办公厅关于{year}年部分节假日安排的通知",
            document_number=DOCUMENT_NUMBERS.get(year, ""),
            source_url=SOURCE_URLS.get(year, ""),
            notes=NOTES,
        )
        for year in SEED_YEARS
    }
    days = []
    for kind, table in (("holiday", holidays), ("makeup", workdays)):
        for day, value in sorted(table.items()):
            if day.year in arrangements:
                days.append(
                    CalendarDay(
                        arrangement=arrangements[day.year],
                        date=day,
                        kind=kind,
                        name=Holiday(value).chinese,
                    )
                )
    CalendarDay.objects.bulk_create(days)


def unseed(apps, schema_editor):
    HolidayArrangement = apps.get_model("core", "HolidayArrangement")
    HolidayArrangement.objects.filter(year__in=list(SEED_YEARS)).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
