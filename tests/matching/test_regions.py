"""The shipped region table: every 시/도, lookups in Korean and English, distances."""

from __future__ import annotations

import numpy as np
import pytest

from matching import regions


def test_table_covers_every_sido_and_many_sigungu() -> None:
    all_ = regions.all_regions()
    sido = [r for r in all_ if r.is_sido]
    assert len(sido) == 17
    assert len(all_) - len(sido) >= 220
    assert len({r.code for r in all_}) == len(all_)
    for r in all_:
        assert 33.0 < r.lat < 38.7 and 124.5 < r.lon < 131.0, r
        assert regions.get(r.sido).is_sido


def test_lookup_by_code_and_names() -> None:
    assert regions.lookup("41590").name_ko == "화성시"
    assert regions.lookup("경기 화성시").code == "41590"
    assert regions.lookup("경기도 화성시").code == "41590"
    assert regions.lookup("Hwaseong-si, Gyeonggi-do").code == "41590"
    assert regions.lookup("서울").code == "11" and regions.lookup("Seoul").code == "11"
    assert regions.lookup("부산 중구").code == "26110"
    with pytest.raises(regions.UnknownRegion):
        regions.lookup("중구")  # several 시/도 have one
    with pytest.raises(regions.UnknownRegion):
        regions.lookup("아틀란티스")
    assert regions.get("26110").label("en") == "Jung-gu, Busan"


def test_distances() -> None:
    seoul, busan = regions.get("11"), regions.get("26")
    km = regions.haversine_km(seoul.lat, seoul.lon, busan.lat, busan.lon)
    assert 310 < km < 340
    assert regions.distance_km(seoul, busan) == pytest.approx(km, rel=1e-3)
    assert regions.distance_km(regions.get("41"), regions.get("41590")) == 0  # the province holds the city
    assert 15 < regions.distance_km(regions.get("41590"), regions.get("41110")) < 30  # 화성–수원
    table = regions.distance_table()
    assert np.allclose(table, table.T) and (np.diag(table) == 0).all()


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("수원", "41110"),
        ("수원시", "41110"),
        ("경기 수원", "41110"),
        ("Suwon", "41110"),
        ("양평", "41830"),
        ("광주", "29"),  # the 광역시, not 경기도 광주시
        ("경기 광주", "41610"),
        ("제주", "50"),
    ],
)
def test_a_city_or_county_is_found_without_its_ending(typed: str, code: str) -> None:
    assert regions.lookup(typed).code == code


@pytest.mark.parametrize("typed", ["고성", "중", "중구"])
def test_a_short_name_two_places_share_is_not_guessed(typed: str) -> None:
    with pytest.raises(regions.UnknownRegion):
        regions.lookup(typed)
