"""Models of the modules app: Wagtail pages, the topic and audience taxonomies, and the
learner's progress (enrolments, lesson completions, check attempts, confidence ratings,
certificates and assignments)."""

from .home import HomePage, SectionBlock
from .pages import LearningOutcome, LessonPage, ModuleIndexPage, ModulePage
from .progress import (
    Assignment,
    Certificate,
    CheckAttempt,
    ConfidenceRating,
    Enrolment,
    LessonCompletion,
    ModuleCheckAttempt,
)
from .taxonomy import Audience, Topic

__all__ = [
    "Assignment",
    "Audience",
    "Certificate",
    "CheckAttempt",
    "ConfidenceRating",
    "Enrolment",
    "HomePage",
    "LearningOutcome",
    "LessonCompletion",
    "LessonPage",
    "ModuleCheckAttempt",
    "ModuleIndexPage",
    "ModulePage",
    "SectionBlock",
    "Topic",
]
