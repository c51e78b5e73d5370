"""Models of the reflection app, gathered from its domains so that Django finds them: the
private journal, supervisor sign-off, structured supervision, the revalidation portfolio and
its shares."""

from reflection.journal.models import *  # noqa: F403
from reflection.portfolio.models import *  # noqa: F403
from reflection.shares.models import *  # noqa: F403
from reflection.signoff.models import *  # noqa: F403
from reflection.supervision.models import *  # noqa: F403
