import re

from django.db import migrations

# Excerpts written before rules.excerpt masked the other values in its context could show a
# neighbouring mobile, ID or card number, or the part of one the window cut off. Their values
# are not stored, so mask what looks like one: seven or more digits, alone or grouped by single
# spaces or hyphens (138 1234 5678), with a final X for an ID number; any digits at either end,
# where the old window may have cut a value; and the local part of an e-mail address.
_DIGITS = re.compile(r"\d(?:[ -]?\d){6,}[Xx]?|^\d+[Xx]?|\d+[Xx]?$")
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@")


def _mask(excerpt):
    digits = _DIGITS.sub(lambda m: re.sub(r"[\dXx]", "*", m[0]), excerpt)
    return _EMAIL.sub(r"\1***@", digits)


def mask_old_excerpts(apps, schema_editor):
    PiiFinding = apps.get_model("publications", "PiiFinding")
    changed = []
    for finding in PiiFinding.objects.exclude(kind__in=("unreadable", "revisions")):
        masked = _mask(finding.excerpt)
        if masked != finding.excerpt:
            finding.excerpt = masked
            changed.append(finding)
    PiiFinding.objects.bulk_update(changed, ["excerpt"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0007_attachment_masked_fingerprints"),
    ]

    operations = [
        migrations.RunPython(mask_old_excerpts, migrations.RunPython.noop),
    ]
