"""docs/defaults.md states every default of `minigan train`; each cell must be what the code runs."""
from dataclasses import fields
from pathlib import Path

import pytest

from minigan.config import DATA_DEFAULTS, LOSS_DEFAULTS, TOY_DEFAULTS, TrainConfig

DOC = Path(__file__).resolve().parents[1] / "docs" / "defaults.md"


def tables():
    """Each markdown table of the page as a list of {header: cell} rows."""
    out, rows = [], None
    for line in DOC.read_text().splitlines() + [""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if rows is None:
                header, rows = cells, []
            elif not set("".join(cells)) <= set("-: "):
                rows.append(dict(zip(header, cells)))
        elif rows is not None:
            out.append(rows)
            rows = None
    return out


def parse(text):
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return {"True": True, "False": False}.get(text, text)


def test_every_loss_default_in_the_docs_is_what_the_config_resolves_to():
    per_loss = tables()[0]
    assert {r["loss"] for r in per_loss} == set(LOSS_DEFAULTS)
    for row in per_loss:
        cfg = TrainConfig(loss=row["loss"]).resolved()
        named = [k for k in row if k not in ("loss", "source")]
        assert set(named) == set(LOSS_DEFAULTS[row["loss"]])        # the page names every field
        for k in named:
            assert getattr(cfg, k) == parse(row[k]), (row["loss"], k)


@pytest.mark.parametrize("data", ["ring8", "gauss", "points.csv", "digits"])
def test_every_dataset_default_in_the_docs_is_what_the_config_resolves_to(data):
    per_data = tables()[1]
    row = next(r for r in per_data if r["data"] == ("digits" if data == "digits" else "the toys"))
    named = [k for k in row if k != "data"]
    assert set(named) == set(TOY_DEFAULTS) == set(DATA_DEFAULTS["digits"])
    cfg = TrainConfig(data=data).resolved()
    for k in named:
        assert getattr(cfg, k) == parse(row[k]), (data, k)
        assert getattr(TrainConfig(data=data, **{k: 3}).resolved(), k) == 3     # a given value wins
    assert cfg.hidden_g == cfg.hidden_d == cfg.hidden


def test_every_other_field_default_in_the_docs_is_the_dataclass_default():
    others = tables()[2]
    defaults = {f.name: f.default for f in fields(TrainConfig)}
    per_loss = {k for d in LOSS_DEFAULTS.values() for k in d} | set(TOY_DEFAULTS)
    assert {r["field"] for r in others} == set(defaults) - per_loss
    for row in others:
        if row["default"].startswith("= "):          # a field that defaults to another field
            other = row["default"][2:]
            resolved = TrainConfig(**{other: 7}).resolved()
            assert defaults[row["field"]] is None and getattr(resolved, row["field"]) == 7
            continue
        assert defaults[row["field"]] == parse(row["default"]), row["field"]


@pytest.mark.parametrize("loss", ["wgan", "wgan-gp"])
def test_wasserstein_losses_run_their_papers_constant_learning_rate(loss):
    """WGAN Algorithm 1 and the WGAN-GP toy script keep the learning rate constant."""
    assert TrainConfig(loss=loss).resolved().lr_half_life == 0
