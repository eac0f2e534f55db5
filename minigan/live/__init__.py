"""minigan live: train in the browser, on the trainer this package's readers read.

    session.py   the exact part: a run, its updates and controls, RUN/events.jsonl
    app.py       the training thread, the play state, the frames the page draws
    server.py    the web server on 127.0.0.1: token, Host and Origin checks, the routes
    page.py      the page: lab.js's drawing with live.js's controls (live.css)
    replay.py    minigan live --replay RUN --out NEW: a session trained again from its log
    command.py   the ``minigan live`` command
"""
