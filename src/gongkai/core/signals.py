"""Signals of the shared foundation."""

from __future__ import annotations

from django.dispatch import Signal

# Sent once a year's 节假日安排 is committed (kwargs: year). Deadlines cached from the workday
# calendar (an application's 答复期限, an item's 第二十六条 公开期限) are computed again.
calendar_changed = Signal()
