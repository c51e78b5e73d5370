"""``manage.py bench``: the platform's benchmark (docs/performance.md).

runner.py drives a run (database, seeding, gunicorn, sign-in, measuring); load.py is the HTTP
load generator; procstat.py reads CPU time from /proc; report.py turns samples into the JSON
result, the table and the baseline comparison; floor.py and urls.py add the floor pages (a bare
Django view and Wagtail's welcome page) to the bench server only; inprocess.py holds what runs
inside Django with the bench's production settings (sessions, query counts, profiles).
"""
