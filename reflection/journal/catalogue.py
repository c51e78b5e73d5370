"""The reflective models a journal entry can follow: their sections and short guiding prompts.

Plain data, so forms, templates and exports share one definition."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReflectiveModel(models.TextChoices):
    FREE = "free", _("Free writing")
    GIBBS = "gibbs", _("Gibbs' reflective cycle")
    ROLFE = "rolfe", _("Rolfe: What? So what? Now what?")
    JOHNS = "johns", _("Johns' model of structured reflection")
    KOLB = "kolb", _("Kolb's learning cycle")


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    prompt: str


DESCRIPTIONS = {
    ReflectiveModel.FREE: _("Write in your own way, with no headings."),
    ReflectiveModel.GIBBS: _(
        "Six stages: what happened, how you felt, what went well and less well, what sense "
        "you make of it, what else you could have done, and what you will do next time."
    ),
    ReflectiveModel.ROLFE: _("Three questions: what happened, why it matters, what next."),
    ReflectiveModel.JOHNS: _(
        "Looking in at your own thoughts and feelings, then out at what influenced the "
        "situation and what you learned."
    ),
    ReflectiveModel.KOLB: _(
        "From the experience, to reflecting on it, to making sense of it, to trying something new."
    ),
}

SECTIONS: dict[str, tuple[Section, ...]] = {
    ReflectiveModel.FREE: (
        Section(
            "reflection", _("Your reflection"), _("Write whatever helps you think it through.")
        ),
    ),
    ReflectiveModel.GIBBS: (
        Section("description", _("Description"), _("What happened? Keep to what you need.")),
        Section("feelings", _("Feelings"), _("What were you thinking and feeling at the time?")),
        Section("evaluation", _("Evaluation"), _("What was good and what was difficult?")),
        Section("analysis", _("Analysis"), _("What sense can you make of the situation?")),
        Section("conclusion", _("Conclusion"), _("What else could you have done?")),
        Section(
            "action_plan",
            _("Action plan"),
            _("If it happened again, what would you do? What support do you need?"),
        ),
    ),
    ReflectiveModel.ROLFE: (
        Section("what", _("What?"), _("What happened, and what was your part in it?")),
        Section("so_what", _("So what?"), _("Why does it matter? What have you learned?")),
        Section("now_what", _("Now what?"), _("What will you do now, and differently next time?")),
    ),
    ReflectiveModel.JOHNS: (
        Section("description", _("Description"), _("Describe the experience and what stood out.")),
        Section(
            "reflection",
            _("Reflection"),
            _("What were you trying to achieve? Why did you act as you did?"),
        ),
        Section(
            "influences",
            _("Influencing factors"),
            _("What inside and outside you shaped your decisions?"),
        ),
        Section(
            "alternatives",
            _("Alternative strategies"),
            _("Could you have dealt with it differently? What might that have led to?"),
        ),
        Section("learning", _("Learning"), _("How has this changed how you feel and work?")),
    ),
    ReflectiveModel.KOLB: (
        Section("experience", _("Concrete experience"), _("What did you do or see?")),
        Section(
            "observation", _("Reflective observation"), _("What did you notice, looking back?")
        ),
        Section(
            "conceptualisation",
            _("Abstract conceptualisation"),
            _("What does it tell you? How does it fit with what you know?"),
        ),
        Section(
            "experimentation",
            _("Active experimentation"),
            _("What will you try next time?"),
        ),
    ),
}


def sections_for(model: str) -> tuple[Section, ...]:
    return SECTIONS.get(model, SECTIONS[ReflectiveModel.FREE])
