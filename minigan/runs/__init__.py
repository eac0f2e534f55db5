"""Runs and the command line: everything that touches a run folder or the terminal.

    cli.py            the ``minigan`` command: one subcommand per job, dispatched lazily
    run.py            minigan train / lab: a run, its folder, its pictures
    sample.py         minigan sample
    folder.py         the files of a run folder, and the one way to reopen a run (open_run)
    checkpoint.py     a Trainer's state as arrays in checkpoint.npz
    atomic.py         the one atomic write
    points.py         your own points: reading --data points.csv / .npy
    options.py        every TrainConfig field as a command-line option
    threads.py        BLAS threads: the variables, the load, the rule
    memory.py         the allocator setting of the training commands
    bench.py          minigan bench
    errors.py         UsageError: one line, exit status 2
"""
# 0.3's `minigan.runs` was the module of minigan train / sample (now run.py, with the run-folder
# files of 0.3's runfiles.py in folder.py); its names still resolve here for one release.
_OLD = {"run": ("RUN_OPTIONS", "add_train_arguments", "default_out", "finish", "prepare_dir",
                "resume", "run_train", "train_run", "zspace_png"),
        "sample": ("add_sample_arguments", "run_sample"),
        "folder": ("History", "Progress", "data_copy", "exact_row", "read_json", "run_dataset",
                   "write_json")}


def __getattr__(name):
    import importlib
    import warnings
    for module, names in _OLD.items():
        if name in names:
            warnings.warn(f"minigan.runs.{name} moved to minigan.runs.{module}.{name} in 0.4; "
                          f"this name goes away in 0.5", DeprecationWarning, stacklevel=2)
            return getattr(importlib.import_module(f"minigan.runs.{module}"), name)
    raise AttributeError(f"module 'minigan.runs' has no attribute {name!r}")
