from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pbengine.cli import main

SMALL = """META
key;value
budget;100
vote_type;approval
PROJECTS
project_id;cost
a;50
b;80
VOTES
voter_id;vote
1;a
2;a
3;b
4;b
"""


@pytest.fixture
def small_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.pb"
    path.write_text(SMALL)
    return path


def test_json_output_has_selected_and_total_cost(small_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "outcome",
            str(small_file),
            "--rule",
            "mes",
            "--completion",
            "add1,greedy",
            "--json",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["selected"] == ["a"]
    assert data["total_cost"] == 50
    assert data["not_selected"][0]["project"] == "b"


def test_text_output_lists_winners_and_explains_a_voter(small_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["outcome", str(small_file), "--rule", "greedy", "--voter", "3"]) == 0
    out = capsys.readouterr().out
    # two approvals each, so the tie goes to the smaller id
    assert "Selected (1): a" in out
    assert "Total cost: 50 of budget 100" in out
    assert "b: skipped: costs 80 but only 50 was left" in out
    assert "Voter 3:" in out


def test_a_malformed_file_exits_2_with_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.pb"
    path.write_text(SMALL.replace("b;80", "b;tachtig"))
    assert main(["outcome", str(path)]) == 2
    captured = capsys.readouterr()
    assert "line 8:" in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_bad_arguments_exit_2(small_file: Path) -> None:
    assert main(["outcome", str(small_file), "--rule", "lottery"]) == 2
    assert main(["outcome", str(small_file), "--rule", "greedy", "--completion", "add1"]) == 2


def test_python_dash_m_works(small_file: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-m", "pbengine", "outcome", str(small_file), "--json"],
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["selected"] == ["a"]
