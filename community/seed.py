"""Demo community (placeholder until the demo threads are written)."""


def seed_demo_community(stdout=None) -> None:
    return None
