"""Production settings plus one frequent job, for the two beat processes of the topology test."""

from learning.settings.production import *  # noqa: F403
from learning.settings.production import CELERY_BEAT_SCHEDULE, env

TICK_SECONDS = env.float("HOPE_TOPOLOGY_TICK_SECONDS", default=3.0)
CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "topology-tick": {"task": "hope.tests.topology_tick", "schedule": TICK_SECONDS},
}
