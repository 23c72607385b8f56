"""A title quoted in running text: 《…》 around it, and the title marks inside it turned into
〈…〉 as Chinese punctuation nests them (GB/T 15834, 4.15)."""

from __future__ import annotations

from django import template

register = template.Library()

_INNER = str.maketrans("《》", "〈〉")


@register.filter
def quoted_title(title: str) -> str:
    return f"《{title.translate(_INNER)}》"
