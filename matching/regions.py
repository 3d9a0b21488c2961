"""Korean regions: the 17 시/도 and their 시/군/구 with approximate centroids, and distances between them.

The table ships as ``matching/refdata/regions.csv`` (code, parent 시/도 code, Korean name, English name,
latitude, longitude). Codes follow the layout of the 행정표준코드: two digits for a 시/도, five for a
시/군/구. Where the figures come from and how accurate they are is written in docs/matching.md.

A region is looked up by code, by Korean or English name, or by "시/도 시/군/구" (``"부산 중구"``,
``"Busan Jung-gu"``): several 시/도 have a 중구, so a bare "중구" is ambiguous and is not resolved.
A 시 or 군 is also found without its ending, as people say it (``"수원"`` for 수원시, ``"양평"`` for 양평군,
``"경기 수원"``, ``"Suwon"``); a 구 is not (``"중"`` means nothing), and a short name that two
places share (``"고성"``: 강원 and 경남) is ambiguous like "중구". Where a 시/도 and a 시 share a name
(``"광주"``, ``"제주"``), the 시/도 is meant; the 시 is found with its 시/도 (``"경기 광주"``).
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

DATA = Path(__file__).parent / "refdata" / "regions.csv"
EARTH_RADIUS_KM = 6371.0088

#: short forms people type for a 시/도 ("서울", "경기", "전북" …)
_SIDO_SHORT = {
    "11": ("서울", "서울시"),
    "26": ("부산", "부산시"),
    "27": ("대구", "대구시"),
    "28": ("인천", "인천시"),
    "29": ("광주", "광주광역시"),
    "30": ("대전", "대전시"),
    "31": ("울산", "울산시"),
    "36": ("세종", "세종시"),
    "41": ("경기",),
    "43": ("충북",),
    "44": ("충남",),
    "46": ("전남",),
    "47": ("경북",),
    "48": ("경남",),
    "50": ("제주", "제주도"),
    "51": ("강원", "강원도"),
    "52": ("전북", "전라북도"),
}


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    sido: str  #: code of the 시/도 it belongs to (itself for a 시/도)
    name_ko: str
    name_en: str
    lat: float
    lon: float
    index: int  #: row in the distance table

    @property
    def is_sido(self) -> bool:
        return self.code == self.sido

    def label(self, language: str = "ko") -> str:
        """Full name for display: "부산광역시 중구" / "Jung-gu, Busan"."""
        if self.is_sido:
            return self.name_ko if language == "ko" else self.name_en
        parent = get(self.sido)
        if language == "ko":
            return f"{parent.name_ko} {self.name_ko}"
        return f"{self.name_en}, {parent.name_en}"


class UnknownRegion(LookupError):
    pass


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@cache
def all_regions() -> tuple[Region, ...]:
    with DATA.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(
        Region(r["code"], r["sido"], r["name_ko"], r["name_en"], float(r["lat"]), float(r["lon"]), i)
        for i, r in enumerate(rows)
    )


@cache
def _by_code() -> dict[str, Region]:
    return {r.code: r for r in all_regions()}


def _norm(name: str) -> str:
    return "".join(name.lower().split()).replace("-", "").replace(",", "")


def _short_names(region: Region) -> tuple[str, ...]:
    """A 시 or 군 without its ending, in Korean and English ("수원", "Suwon"); none for a 구 or 시/도."""
    if region.is_sido or len(region.name_ko) < 3 or region.name_ko[-1] not in "시군":
        return ()
    english = re.sub(r"-(si|gun)$", "", region.name_en)
    return (region.name_ko[:-1], english)


@cache
def _by_name() -> dict[str, list[Region]]:
    """Normalised name -> regions with that name (several 시/도 have a 중구)."""
    names: dict[str, list[Region]] = {}

    def add(key: str, region: Region) -> None:
        bucket = names.setdefault(_norm(key), [])
        if region not in bucket:
            bucket.append(region)

    for r in all_regions():
        add(r.name_ko, r)
        add(r.name_en, r)
        if r.is_sido:
            for short in _SIDO_SHORT.get(r.code, ()):
                add(short, r)
        else:
            parent = _by_code()[r.sido]
            own = (r.name_ko, r.name_en, *_short_names(r))
            for short in own[2:]:
                add(short, r)
            for p in (parent.name_ko, parent.name_en, *_SIDO_SHORT.get(parent.code, ())):
                for name in own:
                    add(p + name, r)
                    add(name + p, r)
    return names


def get(code: str) -> Region:
    """The region with this code; :class:`UnknownRegion` if there is none."""
    try:
        return _by_code()[code]
    except KeyError:
        raise UnknownRegion(code) from None


def lookup(text: str) -> Region:
    """A region by code or by (unambiguous) name in Korean or English."""
    text = (text or "").strip()
    if text in _by_code():
        return _by_code()[text]
    found = _by_name().get(_norm(text), [])
    if len(found) > 1:
        # a 시/도's own name wins over a 시 named like it ("광주", "제주")
        found = [r for r in found if r.is_sido]
    if len(found) != 1:
        raise UnknownRegion(text)
    return found[0]


def contains(outer: Region, inner: Region) -> bool:
    """Whether ``inner`` lies in ``outer`` (a region contains itself; a 시/도 contains its 시/군/구)."""
    return outer.code == inner.code or (outer.is_sido and inner.sido == outer.code)


def distance_km(a: Region, b: Region) -> float:
    """Distance between two regions; 0 when one contains the other."""
    return float(distance_table()[a.index, b.index])


@cache
def distance_table() -> np.ndarray:
    """``D[i, j]``: km between the centroids of regions i and j, 0 where one contains the other.

    With about 250 regions the table is 250 × 250 float32 (a quarter megabyte) and turns the
    distance factor of 100,000 candidates into one gather.
    """
    regions = all_regions()
    lat = np.radians(np.array([r.lat for r in regions]))
    lon = np.radians(np.array([r.lon for r in regions]))
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
    table = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    sido = np.array([r.sido for r in regions])
    is_sido = np.array([r.is_sido for r in regions])
    same_sido = sido[:, None] == sido[None, :]
    inside = same_sido & (is_sido[:, None] | is_sido[None, :])
    table[inside] = 0.0
    np.fill_diagonal(table, 0.0)
    return table.astype(np.float32)


# read the table at import, so the first lookup inside the event loop does no file I/O
all_regions()
distance_table()
