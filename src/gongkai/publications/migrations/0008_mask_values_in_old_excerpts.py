import re

from django.db import migrations

# Excerpts written before rules.excerpt masked the other values in its context could show a
# neighbouring mobile, ID or card number, or the part of one the window cut off. Their values
# are not stored, so mask what looks like one: a run of seven or more digits (with a final X
# for an ID number), and the local part of an e-mail address.
_DIGITS = re.compile(r"\d{7,}[Xx]?")
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@")


def mask_old_excerpts(apps, schema_editor):
    PiiFinding = apps.get_model("publications", "PiiFinding")
    for finding in PiiFinding.objects.exclude(kind__in=("unreadable", "revisions")).iterator():
        masked = _EMAIL.sub(r"\1***@", _DIGITS.sub(lambda m: "*" * len(m[0]), finding.excerpt))
        if masked != finding.excerpt:
            PiiFinding.objects.filter(pk=finding.pk).update(excerpt=masked)


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0007_attachment_masked_fingerprints"),
    ]

    operations = [
        migrations.RunPython(mask_old_excerpts, migrations.RunPython.noop),
    ]
