"""Models of the reflection app, gathered from its domains so that Django finds them: the
private journal, supervisor sign-off, structured supervision and the revalidation portfolio."""

from reflection.journal.models import *  # noqa: F403
from reflection.portfolio.models import *  # noqa: F403
from reflection.signoff.models import *  # noqa: F403
from reflection.supervision.models import *  # noqa: F403
