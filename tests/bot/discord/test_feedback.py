"""The feedback recorder: one JSON line per vote, appended, safe across threads."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from bot.core.models import Citation
from bot.discord.feedback import FeedbackRecord, FeedbackRecorder

CITATION = Citation(
    n=1,
    doc_id="minusma-withdrawal",
    title="UN mission in Mali ends",
    sentence="With 310 peacekeepers losing their lives during its tenure.",
    start=412,
    end=470,
    score=7.3,
    paragraph=2,
    position=1,
)


def record(vote: str = "up", user_id: str = "42") -> FeedbackRecord:
    return FeedbackRecord.model_validate(
        {
            "question": "How many peacekeepers died?",
            "answer": "310 peacekeepers died [1]",
            "answered": True,
            "citations": [CITATION.model_dump()],
            "vote": vote,
            "user_id": user_id,
        }
    )


def test_a_vote_is_one_json_line_with_every_field(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "feedback.jsonl"
    FeedbackRecorder(path).record(record())
    (line,) = path.read_text(encoding="utf-8").splitlines()
    data = json.loads(line)
    assert data["question"] == "How many peacekeepers died?"
    assert data["answer"] == "310 peacekeepers died [1]"
    assert data["vote"] == "up" and data["user_id"] == "42" and data["source"] == "discord"
    assert data["citations"][0]["sentence"].startswith("With 310 peacekeepers")
    assert datetime.fromisoformat(data["ts"]).utcoffset() is not None


def test_votes_append_and_read_back_in_order(tmp_path: Path) -> None:
    recorder = FeedbackRecorder(tmp_path / "feedback.jsonl")
    assert recorder.read() == []
    recorder.record(record("up"))
    FeedbackRecorder(recorder.path).record(record("down"))
    assert [r.vote for r in recorder.read()] == ["up", "down"]
    assert recorder.read()[0].citations == (CITATION,)


def test_concurrent_votes_never_interleave(tmp_path: Path) -> None:
    recorder = FeedbackRecorder(tmp_path / "feedback.jsonl")
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda i: recorder.record(record(user_id=str(i))), range(400)))
    lines = recorder.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 400
    assert sorted(int(json.loads(line)["user_id"]) for line in lines) == list(range(400))
