"""``manage.py seed_scale``: deterministic data at a chosen scale for the benchmark (issue 9).

``plan.py`` holds the counts and the fixed bench personas; each stage module writes its tables
through ``copy.Writer``; ``run.py`` puts the stages together.
"""
