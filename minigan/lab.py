"""``minigan lab RUN_DIR``: the replay page of a run (placeholder, being written)."""
import os


def write_page(run_dir):
    """RUN_DIR/lab.html from the run's files; returns its path."""
    path = os.path.join(run_dir, "lab.html")
    with open(path, "w") as f:
        f.write("<!doctype html><title>minigan lab</title><p>not yet</p>\n")
    return path
