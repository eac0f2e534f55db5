"""Studies: many runs, trained in parallel and summarised (docs/study/, capacity/, remedies/).

    sweep.py       minigan sweep: data × loss × seeds (× --vary), local workers or Dask
    summary.py     runs.csv, summary.csv/.md, the progress line of a sweep
    figures.py     a sweep's grid of final samples and modes over training
    hopping.py     minigan hopping: which modes G covers, step by step, for one configuration
    phase.py       minigan phase: a sweep over two fields as tables, heat maps and z-space
    remedies.py    minigan remedies: the remedies study, stage by stage
    cluster.py     the Dask path of a sweep
"""
