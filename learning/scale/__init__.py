"""``manage.py seed_scale``: deterministic data at a chosen scale for the benchmark.

``registry.py`` is where each app registers the steps that fill its own tables (from its
``AppConfig.ready()``); ``plan.py`` holds the counts and the fixed bench personas; each step
writes its tables through ``copy.Writer``; ``runner.py`` runs the registered steps in order.
The core's own steps (organisations and people) are in ``people.py`` and ``steps.py``.
"""
