"""`quoted_title`: a title quoted in running text, as `gongkai.core.text.quote_title`."""

from __future__ import annotations

from django import template

from gongkai.core.text import quote_title

register = template.Library()
register.filter("quoted_title", quote_title)
