"""Demo content: a dozen tips from the demo coach and from hired seniors (shown without names)."""

from __future__ import annotations

from sqlalchemy import func, select

from core.clock import utcnow
from core.db import Sessions, transaction
from interview.knowhow.models import AuthorKind, Tip, TipStatus
from interview.knowhow.search import terms_of

#: (by a hired senior?, category, industry, title, body)
TIPS: tuple[tuple[bool, str, str, str, str], ...] = (
    (
        False,
        "general",
        "",
        "자기소개는 1분 안에, 세 문장으로",
        "자기소개는 '지금까지 한 일, 가장 잘하는 일, 이 회사에서 하고 싶은 일' 세 문장이면 충분합니다. "
        "경력을 처음부터 다 말하려고 하지 마시고, 지원한 일과 이어지는 경험 하나만 고르세요.",
    ),
    (
        True,
        "general",
        "manufacturing",
        "자기소개에 숫자를 하나 넣었더니 질문이 이어졌어요",
        "저는 자기소개 때 '불량률을 절반으로 줄였다'는 숫자 하나를 말했습니다. 면접관이 바로 "
        "'어떻게 줄이셨어요?' 하고 물어 주셔서 준비한 이야기를 편하게 할 수 있었습니다.",
    ),
    (
        False,
        "general",
        "",
        "지원 동기는 회사 이야기로 시작하세요",
        "'일이 필요해서'보다 '이 회사가 만드는 제품을 오래 다뤄 봤다'처럼 "
        "회사와 나의 연결점을 먼저 말하세요. "
        "공고의 업무 내용을 한 번 더 읽고 가면 좋습니다.",
    ),
    (
        False,
        "general",
        "",
        "약점은 고치고 있는 이야기와 함께",
        "부족한 점을 말할 때는 지금 어떻게 보완하고 있는지를 꼭 붙이세요. "
        "예를 들어 '컴퓨터 문서 작업이 느린 편이라 주민센터 엑셀 강좌를 듣고 있습니다'처럼 말하면 됩니다.",
    ),
    (
        True,
        "senior",
        "logistics",
        "나이 어린 팀장님 질문, 이렇게 답했습니다",
        "물류센터 면접에서 '팀장이 열다섯 살 어린데 괜찮으시냐'는 질문을 받았습니다. "
        "'현장에서는 직급보다 역할이 중요하다고 배웠다, 모르는 건 먼저 묻겠다'고 답했고 채용되었습니다.",
    ),
    (
        False,
        "senior",
        "",
        "젊은 상사와 일하는 질문에는 구체적인 경험을",
        "'잘 지낼 수 있습니다'라는 말보다 예전에 후배가 상사가 되었을 때 "
        "어떻게 일했는지 한 장면을 이야기하세요. "
        "존댓말, 보고 방식처럼 작은 것이 믿음을 줍니다.",
    ),
    (
        False,
        "senior",
        "",
        "급여 질문에는 솔직하고 짧게",
        "이전보다 급여가 낮을 수 있다는 질문에는 '일의 보람과 출퇴근 거리를 더 중요하게 본다'처럼 "
        "기준을 짧게 말하세요. 희망 금액이 있다면 범위로 말하는 것이 좋습니다.",
    ),
    (
        True,
        "senior",
        "facility",
        "건강 질문에는 요즘 하는 운동을 말했어요",
        "시설관리 면접에서 체력 질문이 나왔습니다. 매일 아침 한 시간씩 걷고 주말에는 등산을 한다고 "
        "말씀드렸더니 면접관이 고개를 끄덕였습니다. 구체적인 습관이 좋습니다.",
    ),
    (
        False,
        "senior",
        "",
        "새 프로그램을 배우는 방법을 보여 주세요",
        "새로운 기술을 익히는 질문에는 최근에 스스로 배운 것 하나를 예로 드세요. "
        "스마트폰 은행 앱, 화상 회의처럼 작은 것도 괜찮습니다. 배우려는 태도가 핵심입니다.",
    ),
    (
        False,
        "role",
        "manufacturing",
        "반복 불량 질문에는 원인을 찾은 순서대로",
        "같은 불량이 반복된 경험을 물으면 '현상, 원인 조사, 조치, 결과' 순서로 말하세요. "
        "특성요인도나 5 Why처럼 쓰신 방법의 이름을 하나 넣으면 전문성이 드러납니다.",
    ),
    (
        True,
        "role",
        "logistics",
        "지게차 경험은 자격증과 사고 없는 기간으로",
        "지게차를 몇 년 다뤘는지와 함께 무사고 기간을 말씀드렸습니다. 창고 관리 시스템은 써 본 프로그램 "
        "이름을 대면 좋습니다. 저는 바코드 입출고를 해 봤다고 말했습니다.",
    ),
    (
        False,
        "role",
        "care",
        "돌봄 일은 어르신을 대한 한 장면으로",
        "요양 보호 일을 지원할 때는 어르신이 불편해하실 때 어떻게 했는지 한 장면을 이야기하세요. "
        "기다려 드린 일, 가족에게 알린 일처럼 작은 행동이 진심을 보여 줍니다.",
    ),
)


async def load_demo(sessions: Sessions, users: dict[str, int]) -> None:
    """Idempotent: adds the tips when the library is empty; the senior's tips name no author."""
    coach_id = users.get("coach")
    if coach_id is None:
        return
    async with sessions() as session:
        if await session.scalar(select(func.count()).select_from(Tip)):
            return
    now = utcnow()
    rows = []
    for by_senior, category, industry, title, body in TIPS:
        rows.append(
            Tip(
                author_id=None if by_senior else coach_id,
                author_kind=AuthorKind.SENIOR if by_senior else AuthorKind.COACH,
                consent_at=now if by_senior else None,
                category=category,
                industry=industry,
                title=title,
                body=body,
                terms=await terms_of(title, body),
                status=TipStatus.PUBLISHED,
                created_at=now,
                updated_at=now,
            )
        )
    async with transaction(sessions) as session:
        session.add_all(rows)
