"""Models of the modules app: Wagtail pages, the topic and audience taxonomies, and the
learner's progress (enrolments, lesson completions, check attempts, confidence ratings,
certificates and assignments)."""

from modules.assignments.models import Assignment
from modules.certificates.models import Certificate
from modules.esr.models import EsrExport
from modules.h5p.models import H5PContent, H5PResult
from modules.pages.home import HomePage, SectionBlock
from modules.pages.installed import InstalledPage
from modules.pages.models import (
    LearningOutcome,
    LessonPage,
    ModuleIndexPage,
    ModulePage,
    PrerequisiteRule,
)
from modules.pages.taxonomy import Audience, Topic
from modules.progress.models import (
    CheckAttempt,
    ConfidenceRating,
    Enrolment,
    LessonCompletion,
    ModuleCheckAttempt,
)
from modules.scorm.models import ScormAttempt, ScormPackage

__all__ = [
    "Assignment",
    "Audience",
    "Certificate",
    "CheckAttempt",
    "ConfidenceRating",
    "Enrolment",
    "EsrExport",
    "H5PContent",
    "H5PResult",
    "HomePage",
    "InstalledPage",
    "LearningOutcome",
    "LessonCompletion",
    "LessonPage",
    "ModuleCheckAttempt",
    "ModuleIndexPage",
    "ModulePage",
    "PrerequisiteRule",
    "ScormAttempt",
    "ScormPackage",
    "SectionBlock",
    "Topic",
]
