from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

CLASSES = (
    (gettext_lazy("大写字母"), str.isupper),
    (gettext_lazy("小写字母"), str.islower),
    (gettext_lazy("数字"), str.isdigit),
    (gettext_lazy("特殊符号"), lambda c: not c.isalnum() and not c.isspace()),
)


class CharacterClassValidator:
    """等保2.0 8.1.4.1 a): 身份鉴别信息具有复杂度要求. `required` of the four classes."""

    def __init__(self, required: int = 4) -> None:
        self.required = max(0, min(required, len(CLASSES)))

    def validate(self, password: str, user: Any = None) -> None:
        present = [name for name, test in CLASSES if any(test(c) for c in password)]
        if len(present) < self.required:
            raise ValidationError(
                self.get_help_text(), code="password_too_simple", params={"n": self.required}
            )

    def get_help_text(self) -> str:
        # Translators: separator between the names of the character classes.
        names = gettext("、").join(str(name) for name, _ in CLASSES)
        return gettext("密码须至少包含%(classes)s中的 %(n)d 类。") % {
            "classes": names,
            "n": self.required,
        }
