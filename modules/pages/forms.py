"""The module editing form: the end-of-module question bank must cover every learning outcome
with at least twice as many questions as each attempt asks about it, and a module is never its
own prerequisite."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import StreamBlockValidationError

from modules.pages.check_rules import bank_problems


class ModulePageForm(WagtailAdminPageForm):
    def _outcome_count(self) -> int:
        formset = self.formsets.get("learning_outcomes")
        if formset is None:
            return 0
        return sum(
            1
            for form in formset.forms
            if getattr(form, "cleaned_data", None)
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("text")
        )

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("prerequisites") or []
        if self.instance.pk and any(module.pk == self.instance.pk for module in chosen):
            self.add_error("prerequisites", _("A module cannot be its own prerequisite."))
        bank = cleaned.get("final_check")
        ask = cleaned.get("ask_per_outcome")
        if not bank or not ask:
            return cleaned
        questions = [
            {"outcome": block.value["outcome"]}
            for block in bank
            if block.block_type == "knowledge_check"
        ]
        problems = bank_problems(questions, outcomes=self._outcome_count(), ask_per_outcome=ask)
        if problems:
            self.add_error(
                "final_check",
                StreamBlockValidationError(
                    non_block_errors=[
                        ValidationError(f"The question bank is not complete: {problem}.")
                        for problem in problems
                    ]
                ),
            )
        return cleaned
