"""The job family of a posting, from its title and duties."""

from __future__ import annotations

import pytest

from interview.practice.postings import job_family


@pytest.mark.parametrize(
    ("title", "duties", "family"),
    [
        ("품질관리 검사원", "자동차 부품 출하 검사", "quality_control"),
        ("물류센터 관리자", "입출고와 재고 관리, 지게차", "logistics"),
        ("경리 담당", "월 결산과 세무 신고", "accounting"),
        ("Delivery driver", "daily delivery routes", "driving"),
        ("요양보호사", "어르신 돌봄", "care"),
        ("바리스타", "커피 만들기", None),
    ],
)
def test_job_family(title: str, duties: str, family: str | None) -> None:
    assert job_family(title, duties) == family
