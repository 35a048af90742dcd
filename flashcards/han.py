"""What counts as a Chinese (Han) character, in one place for every stage."""

from __future__ import annotations

import re

# 〇, Extension A, the URO, compatibility ideographs, and planes 2 and 3 whole: extensions
# B to I (H and I are Unicode 15, newer than some Pythons' unicodedata), the compatibility
# supplement, and the gaps kept for more ideographs.
HAN_CLASS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"
HAN_CHAR = re.compile(f"[{HAN_CLASS}]")
HAN_RUN = re.compile(f"[{HAN_CLASS}]+")


def has_han(text: str) -> bool:
    return HAN_CHAR.search(text) is not None


def is_han(text: str) -> bool:
    return bool(text) and HAN_RUN.fullmatch(text) is not None
