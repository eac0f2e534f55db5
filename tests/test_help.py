"""`minigan COMMAND --help`: every option states its default once, and truly; a mistyped option
is reported by the subcommand that was given, with its usage."""
import argparse
import re
from dataclasses import fields

import pytest

from minigan.config import LOSS_DEFAULTS, TOY_DEFAULTS, TrainConfig
from minigan.runs.cli import SUBCOMMANDS, build_parser, main

STATEMENT = re.compile(r"\bdefault\b", re.IGNORECASE)     # "defaults", "SWEEP_DEFAULTS" are not


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")


def subparser(name):
    return build_parser(name).subcommands[name]


def entries(page):
    """{first option string or positional: its help text on one line} of a rendered help page."""
    out, current, in_section = {}, None, False
    for line in page.splitlines():
        if not line.strip():
            current = None
        elif not line.startswith(" "):           # usage, description, or a section's title
            in_section, current = line.endswith(":"), None
        elif in_section and not line.startswith("   "):
            invocation, _, text = line.strip().partition("  ")
            current = invocation.split()[0].rstrip(",")
            out[current] = text.strip()
        elif in_section and current:
            out[current] = f"{out[current]} {line.strip()}".strip()
    return out


@pytest.mark.parametrize("name", list(SUBCOMMANDS))
def test_every_option_states_its_default_at_most_once(name):
    parser = subparser(name)
    page = parser.format_help()
    for wrong in ("(default: None)", "(default: True)", "(default: False)", "(default: [])"):
        assert wrong not in page, (name, wrong)
    helps = entries(page)
    assert "-h" in helps and len(helps) > 1, page
    twice = {opt: text for opt, text in helps.items() if len(STATEMENT.findall(text)) > 1}
    assert not twice, twice
    for action in parser._actions:
        if not action.option_strings or isinstance(action, argparse._HelpAction):
            continue
        text = helps[action.option_strings[0]]
        if action.required:                      # nothing to default to
            assert not STATEMENT.search(text), (name, action.option_strings, text)
        default = action.default
        if default in (None, argparse.SUPPRESS, [], True, False):
            continue                             # flags, options off unless given; TrainConfig's below
        # an option with a value by default says so, and a literal value is the real one
        stated = re.search(r"\(default: ([^;,()]*)", text)
        assert stated, (name, action.option_strings, text)
        literal = " ".join(map(str, default)) if isinstance(default, list) else str(default)
        if " " not in stated.group(1) or isinstance(default, list):
            assert stated.group(1) == literal, (name, action.option_strings, text)


def per_loss(statement):
    """{loss: value text} of "(default per loss: 1 for gan/nsgan, 5 for wgan/wgan-gp)"."""
    body = re.fullmatch(r"\(default per loss: (.*)\)", statement).group(1)
    out = {}
    for part in body.split(", "):
        value, losses = re.fullmatch(r"(\S+) for (\S+)", part).groups()
        out.update((loss, value) for loss in losses.split("/"))
    return out


def test_train_states_each_config_fields_true_default():
    helps = entries(subparser("train").format_help())
    resolved = {loss: TrainConfig(loss=loss).resolved() for loss in LOSS_DEFAULTS}
    for f in fields(TrainConfig):
        text = helps["--" + f.name.replace("_", "-")]
        statements = re.findall(r"\(default[^()]*\)", text)
        assert len(statements) == 1 and len(STATEMENT.findall(text)) == 1, (f.name, text)
        statement = statements[0]
        if f.name in ("hidden_g", "hidden_d"):
            assert f.default is None and statement == "(default: --hidden)"
            assert getattr(TrainConfig(hidden=7).resolved(), f.name) == 7
        elif f.name in TOY_DEFAULTS:             # the dataset decides: the toys' and the digits'
            m = re.fullmatch(r"\(default per dataset: (\S+) for the toys[^,]*, (\S+) for digits\)",
                             statement)
            assert m, (f.name, statement)
            assert f.type(m.group(1)) == getattr(TrainConfig().resolved(), f.name), f.name
            assert f.type(m.group(2)) == getattr(TrainConfig(data="digits").resolved(), f.name)
        elif f.default is None:                  # the loss decides: every loss named, each value true
            values = per_loss(statement)
            assert set(values) == set(LOSS_DEFAULTS), (f.name, statement)
            for loss, value in values.items():
                assert f.type(value) == getattr(resolved[loss], f.name), (f.name, loss, statement)
        elif f.type is bool:
            assert statement == f"(default: {'on' if f.default else 'off'})", (f.name, statement)
        else:
            value = re.fullmatch(r"\(default: (.*)\)", statement).group(1)
            assert f.type(value) == f.default, (f.name, statement)


def test_sweep_states_no_per_run_default_of_train():
    """sweep's runs take SWEEP_DEFAULTS first: train's defaults would be wrong there."""
    helps = entries(subparser("sweep").format_help())
    for name in ("--steps", "--k", "--lr-d", "--hidden-g", "--conditional"):
        assert not STATEMENT.search(helps[name]), (name, helps[name])


def test_no_lab_says_what_happens_without_it():
    text = entries(subparser("train").format_help())["--no-lab"]
    assert "by default both are written" in text and "(default:" not in text


REQUIRED = {"sample": ["--run", "x"], "lab": ["x"], "remedies": ["screen"], "digits": ["cgan"],
            "phase": ["x", "--rows", "a", "--cols", "b", "--out", "o"]}


def test_a_mistyped_option_is_trains_error(capsys):
    with pytest.raises(SystemExit) as e:
        main(["train", "--stpes", "10"])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: minigan train"), err
    assert "minigan train: error: unrecognized arguments: --stpes 10" in err
    assert err.strip().splitlines()[-1] == "minigan train: error: unrecognized arguments: --stpes 10"


@pytest.mark.parametrize("name", list(SUBCOMMANDS))
def test_every_subcommand_names_itself_in_the_error(name, capsys):
    with pytest.raises(SystemExit) as e:
        main([name, *REQUIRED.get(name, []), "--no-such-option"])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: minigan {name} "), err
    assert err.strip().splitlines()[-1] == \
        f"minigan {name}: error: unrecognized arguments: --no-such-option"


def test_an_unknown_top_level_option_is_the_top_levels_error(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--no-such-option"])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: minigan [-h]")
    assert err.strip().splitlines()[-1] == "minigan: error: unrecognized arguments: --no-such-option"
