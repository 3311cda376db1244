"""`python -m bench.levy_optimiser --scaling`: the exact solve timed on scaled-down instances."""

from __future__ import annotations

import argparse
import json

import pytest

from bench import levy_optimiser
from joinedup.levy.optimiser import optimise


def test_scaling_reports_each_seed_solved_exactly_with_the_full_sizes_proportions(capsys):
    levy_optimiser.scaling([12], "realistic", timeout=60.0)

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["seed"] for line in lines] == [1, 2, 3]
    for line in lines:
        assert (line["needs"], line["senders"], line["organisations"]) == (12, 2, 7)
        assert line["finished"] is True
        assert line["status"] == "optimal"
        senders, needs = levy_optimiser.instance(line["seed"], 7, 2, 12, "realistic")
        assert line["expiry_avoided"] == str(optimise(senders, needs).plan.expiry_avoided)


def test_scaling_says_when_a_solve_is_cut_off(capsys, monkeypatch):
    monkeypatch.setattr(levy_optimiser.subprocess, "run", _too_slow)

    levy_optimiser.scaling([40], "tight", timeout=0.5)

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0] == {
        "needs": 40,
        "senders": 3,
        "organisations": 8,
        "seed": 1,
        "finished": False,
        "cut_off_after_seconds": 0.5,
    }


def _too_slow(command, **options):
    raise levy_optimiser.subprocess.TimeoutExpired(command, options["timeout"])


def test_scaling_sizes_must_be_whole_numbers_of_needs():
    assert levy_optimiser.sizes_list("20,40") == [20, 40]
    for text in ("20,x", "0", "", "-5"):
        with pytest.raises(argparse.ArgumentTypeError, match="whole numbers of needs"):
            levy_optimiser.sizes_list(text)


def test_scaling_says_why_a_solve_failed(capsys, monkeypatch):
    monkeypatch.setattr(levy_optimiser.subprocess, "run", _failed)

    levy_optimiser.scaling([40], "realistic", timeout=5.0)

    line = json.loads(capsys.readouterr().out.splitlines()[0])
    assert (line["finished"], line["error"]) == (False, "MemoryError")


def _failed(command, **options):
    return levy_optimiser.subprocess.CompletedProcess(
        command, 1, stdout="", stderr="Traceback (most recent call last):\nMemoryError\n"
    )
