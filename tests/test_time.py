"""The landscape through time: --as-of, timeline, diff, and claims with their outcomes."""

from __future__ import annotations

import json
from datetime import date

from click.testing import CliRunner

from kg.cli.main import cli


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


def openai_valuation(summary_json: str):
    rows = json.loads(summary_json)["latest_valuations"]
    return [r for r in rows if r["organisation"] == "OpenAI"][0]


def test_as_of_2025_01_01_is_before_the_round_and_gpt_oss():
    before = invoke("--as-of", "2025-01-01", "summary", "--format", "json")
    assert before.exit_code == 0, before.output
    valuation = openai_valuation(before.output)
    assert valuation["valuation"] == 157_000_000_000 and valuation["date"] == "2024-10-02"
    missing = invoke("--as-of", "2025-01-01", "show", "gpt-oss-120b")
    assert missing.exit_code == 1
    rows = json.loads(invoke("--as-of", "2025-01-01", "ask", "funding-by-lab",
                             "--format", "json").output)
    assert all(r["latestValuation"] != 300_000_000_000 for r in rows)


def test_as_of_today_shows_both():
    today = date.today().isoformat()
    now = invoke("--as-of", today, "summary", "--format", "json")
    assert now.exit_code == 0, now.output
    # nothing is dated after today: as of today, the latest valuations are the latest ones
    whole = json.loads(invoke("summary", "--format", "json").output)
    for section in ("counts", "latest_valuations"):
        assert json.loads(now.output)[section] == whole[section], section
    assert invoke("--as-of", today, "show", "gpt-oss-120b").exit_code == 0
    between = invoke("--as-of", "2025-04-01", "ask", "funding-by-lab", "--format", "json")
    openai = [r for r in json.loads(between.output) if r["lab"] == "org:openai"][0]
    assert openai["latestValuation"] == 300_000_000_000


def test_as_of_excludes_later_user_counts(landscape):
    from kg.landscape import Landscape

    then = Landscape.load(as_of=date(2025, 3, 31))
    rows = [r for r in then.ask("product-users") if r["product"] == "product:chatgpt"]
    assert rows[0]["users"] == 500_000_000


def test_diff_2025_lists_the_round_and_the_release():
    result = invoke("diff", "2025-01-01", "2025-12-31", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.output)
    openai = [r for r in rows if r["lab"] == "org:openai"]
    labels = {r["label"] for r in openai}
    assert "OpenAI $40B round (March 2025)" in labels
    assert "gpt-oss-120b" in labels
    changed = [r for r in openai if r["change"] == "changed" and r["kind"] == "valuation"]
    assert changed and "157000000000" in changed[0]["detail"]
    assert not [r for r in rows if r["date"] > "2025-12-31" or r["date"] <= "2025-01-01"]


def test_timeline_of_an_entity_in_date_order():
    result = invoke("timeline", "OpenAI", "--format", "json")
    rows = json.loads(result.output)
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    kinds = {r["kind"] for r in rows}
    assert {"model release", "funding round", "valuation", "statement", "user count"} <= kinds
    assert (rows[0]["date"], rows[0]["kind"]) == ("2015-12", "founded")
    assert rows[1]["date"].startswith("2019")  # GPT-2
    everything = json.loads(invoke("timeline", "--format", "json").output)
    assert len(everything) > len(rows)


def test_claims_linked_to_outcomes_and_kept():
    rows = json.loads(invoke("claims", "--format", "json").output)
    by_id = {r["statement"]: r for r in rows}
    announcement = by_id["stmt:altman-2025-03-31-open-weight-model"]
    assert announcement["verdict"] == "kept"
    assert "gpt-oss-120b released 2025-08-05" in announcement["outcome"]
    checks = {c["check"] for c in announcement["checks"]}
    assert {"openness level:open-weights", "capability cap:advanced-reasoning"} <= checks
    promise = by_id["stmt:altman-2025-03-31-no-700m-mau-limit"]
    assert promise["verdict"] == "kept"
    assert any("monthlyActiveUsers" in c["check"] and c["kept"] for c in promise["checks"])


def test_claims_before_the_release_are_pending():
    rows = json.loads(invoke("--as-of", "2025-05-01", "claims", "--format", "json").output)
    assert {r["verdict"] for r in rows} == {"pending"}


def test_bad_dates_are_one_line_errors():
    result = invoke("--as-of", "yesterday", "summary")
    assert result.exit_code == 2 and "Invalid value for '--as-of'" in result.output
    backwards = invoke("diff", "2025-12-31", "2025-01-01")
    assert backwards.exit_code == 2 and "END must not be before START" in backwards.output
