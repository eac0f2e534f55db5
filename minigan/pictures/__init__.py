"""The pictures: what a run looks like, drawn from a Trainer and what it recorded.

    plots.py        samples.png (samples over D's field, the push of G's loss), training.gif
    curves.py       history.png (losses, D's outputs, gradient norms, sample quality)
    zspace.py       G's manifold: the noise grid, where it lands, which mode it reaches
    snapshots.py    what the lab page replays, recorded at each evaluation
    lab.py          lab.html (with lab.js and lab.css): the replay page

They read the Trainer they are given; writing files is the runs layer's (runs/).
"""
