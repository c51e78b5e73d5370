"""Areas, dashboard panels, seed steps and other registrations for supervision.

Called from ``ReflectionConfig.ready()``.
"""


def register() -> None:
    """Register supervision's areas, panels and seed steps."""
