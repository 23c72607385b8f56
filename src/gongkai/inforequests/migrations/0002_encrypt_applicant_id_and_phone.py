"""Encrypt applicants' ID numbers and phone numbers at rest and add their lookup digests
(SECURITY.md #20). The columns become text first, so that the plain values can be read and
replaced by tokens; the final field type only changes how Python reads them."""

from django.db import migrations, models

import gongkai.core.fields
from gongkai.core.crypto import blind_index, decrypt_field, encrypt_field, is_token

FIELDS = (("id_number", "id_number_digest"), ("phone", "phone_digest"))


def _context(name):
    return f"inforequests.inforequest.{name}"


def encrypt_rows(apps, schema_editor):
    InfoRequest = apps.get_model("inforequests", "InfoRequest")
    for row in InfoRequest.objects.only("pk", "id_number", "phone").iterator(chunk_size=500):
        changes = {}
        for name, digest in FIELDS:
            plain = getattr(row, name)
            if not plain or is_token(plain):
                continue
            changes[name] = encrypt_field(plain, context=_context(name))
            changes[digest] = blind_index(plain, context=_context(name))
        if changes:
            InfoRequest.objects.filter(pk=row.pk).update(**changes)


def decrypt_rows(apps, schema_editor):
    InfoRequest = apps.get_model("inforequests", "InfoRequest")
    for row in InfoRequest.objects.only("pk", "id_number", "phone").iterator(chunk_size=500):
        changes = {
            name: decrypt_field(getattr(row, name), context=_context(name))
            for name, _ in FIELDS
            if getattr(row, name) and is_token(getattr(row, name))
        }
        if changes:
            InfoRequest.objects.filter(pk=row.pk).update(**changes)


class Migration(migrations.Migration):
    dependencies = [
        ("inforequests", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="inforequest",
            name="id_number_digest",
            field=gongkai.core.fields.BlindIndexField(source="id_number"),
        ),
        migrations.AddField(
            model_name="inforequest",
            name="phone_digest",
            field=gongkai.core.fields.BlindIndexField(source="phone"),
        ),
        migrations.AlterField(
            model_name="inforequest",
            name="id_number",
            field=models.TextField(verbose_name="证件号码"),
        ),
        migrations.AlterField(
            model_name="inforequest",
            name="phone",
            field=models.TextField(verbose_name="联系电话"),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows, elidable=False),
        migrations.AlterField(
            model_name="inforequest",
            name="id_number",
            field=gongkai.core.fields.EncryptedCharField(
                index="id_number_digest", max_length=40, verbose_name="证件号码"
            ),
        ),
        migrations.AlterField(
            model_name="inforequest",
            name="phone",
            field=gongkai.core.fields.EncryptedCharField(
                index="phone_digest", max_length=30, verbose_name="联系电话"
            ),
        ),
    ]
