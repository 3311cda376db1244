"""`make bench`: the page scale rule, pooling rounds, recording, and staying off other databases."""

from __future__ import annotations

import json
import subprocess

import pytest

import bench.__main__ as bench
from bench import pages


def page(median_ms: float, queries: int = 5, **rest) -> dict:
    return {
        "page": "People directory",
        "viewer": "partnership lead",
        "median_ms": median_ms,
        "times_ms": [median_ms],
        "queries": queries,
        "skipped": "",
        "error": "",
        "slowest": [],
    } | rest


def test_a_page_passes_when_large_is_fast_and_close_to_small():
    assert bench.verdict(page(20.0), page(29.0)) == ("pass", [])


def test_a_page_fails_when_large_is_over_one_and_a_half_times_small():
    result, reasons = bench.verdict(page(10.0), page(16.0))
    assert result == "FAIL"
    assert reasons == ["large median over 1.5x small"]


def test_a_page_fails_when_its_query_count_grows_with_size():
    result, reasons = bench.verdict(page(20.0, queries=5), page(20.0, queries=6))
    assert (result, reasons) == ("FAIL", ["query count changes with size"])


def test_a_page_fails_at_fifty_milliseconds_even_when_small_is_as_slow():
    result, reasons = bench.verdict(page(50.0), page(50.0))
    assert (result, reasons) == ("FAIL", ["large median not under 50 ms"])


def test_a_missing_page_is_skipped_and_a_broken_one_fails():
    assert bench.verdict(page(0, skipped="no URL for this page yet"), page(0))[0] == "skipped"
    assert bench.verdict(page(1.0), page(0, error="status 500")) == ("FAIL", ["status 500"])


def test_rounds_are_pooled_into_one_median():
    first = {"dataset": "seeded in 30 s", "pages": [page(10.0, times_ms=[10.0, 12.0])]}
    second = {"dataset": "reused", "pages": [page(30.0, times_ms=[30.0, 40.0, 50.0])]}
    merged = bench.merge([first, second])
    assert merged["pages"][0]["median_ms"] == 30.0
    assert merged["pages"][0]["times_ms"] == [10.0, 12.0, 30.0, 40.0, 50.0]
    assert merged["dataset"] == "seeded in 30 s"


def test_rounds_that_disagree_on_the_query_count_are_an_error():
    merged = bench.merge([{"dataset": "", "pages": [page(1.0, queries=q)]} for q in (4, 5)])
    assert merged["pages"][0]["error"] == "query count differs between rounds: [4, 5]"


def test_the_table_names_every_page_with_its_figures_and_result():
    text, failures = bench.table({"pages": [page(10.0)]}, {"pages": [page(40.0)]})
    assert "| People directory | partnership lead | 10.0 | 40.0 | 4.00 | 40.0 | 5 / 5 |" in text
    assert failures[0][1] == ["large median over 1.5x small"]


def test_recording_replaces_only_the_results_section(tmp_path, monkeypatch):
    performance = tmp_path / "PERFORMANCE.md"
    performance.write_text(f"# Performance\n\nKept.\n\n{bench.START}\nold\n{bench.END}\nAfter.\n")
    monkeypatch.setattr(bench, "PERFORMANCE", performance)
    bench.record("new table")
    assert performance.read_text() == (
        f"# Performance\n\nKept.\n\n{bench.START}\nnew table\n{bench.END}\nAfter.\n"
    )


def test_bench_runs_use_their_own_databases_on_the_same_server():
    url = "postgres://postgres@127.0.0.1:5432/test"
    assert bench.with_database(url, "joinedup_bench") == (
        "postgres://postgres@127.0.0.1:5432/joinedup_bench"
    )
    assert all(name.startswith(pages.BENCH_DATABASE_PREFIX) for name, *_ in bench.SIZES.values())


def test_a_timing_run_never_inherits_the_test_database(monkeypatch):
    seen = {}

    def fake_run(command, *, env, **kwargs):
        seen["env"] = env
        return subprocess.CompletedProcess(command, 0, stdout=json.dumps({"pages": []}))

    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    monkeypatch.setenv("DATABASE_TEST_NAME", "test_someone")
    monkeypatch.setattr(bench.subprocess, "run", fake_run)
    bench.run_size(bench.server_url(), "small", repeats=1, explain=False)
    assert seen["env"]["DATABASE_URL"].endswith("/joinedup_bench_small")
    assert "DATABASE_TEST_NAME" not in seen["env"]


def test_the_timing_process_refuses_a_database_that_is_not_a_bench_one():
    arguments = ["--size", "small", "--people", "5", "--organisations", "1", "--largest", "5"]
    with pytest.raises(SystemExit, match="Refusing to seed or time"):
        pages.main(arguments)
