"""The edit form of a Co-Chairs' Summary version: the introduction, each section's title, each
point's text (with "delete"), a new point per section, and a note of what changed.

The form is built from the version the editor started from (``based_on``, a hidden field), so
its fields name that version's sections and points by position: ``section-<i>-title``,
``point-<i>-<j>-text``, ``point-<i>-<j>-delete``, ``section-<i>-new``: the names the content
rules of ``forum.validation.clean_summary_content`` give their errors under.  :meth:`content`
returns the edited content with everything the form does not show (a point's sources, a
section's kind, keys the compilation added) kept as it was.
"""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class CochairsEditForm(forms.Form):
    based_on = forms.IntegerField(widget=forms.HiddenInput)
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Separate paragraphs with an empty line."),
    )

    def __init__(self, data: Any = None, *, base: dict[str, Any], based_on: int) -> None:
        super().__init__(
            data,
            initial={"based_on": based_on, "introduction": base.get("introduction", "")},
            label_suffix="",
        )
        self.base = base
        for i, section in enumerate(base.get("sections") or []):
            self.fields[f"section-{i}-title"] = forms.CharField(
                label=_("Section title"),
                required=False,
                max_length=300,
                initial=section.get("title", ""),
            )
            for j, point in enumerate(section.get("points") or []):
                self.fields[f"point-{i}-{j}-text"] = forms.CharField(
                    label=_("Point %(n)s") % {"n": j + 1},
                    required=False,
                    initial=point.get("text", ""),
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
                self.fields[f"point-{i}-{j}-delete"] = forms.BooleanField(
                    label=_("Delete point %(n)s") % {"n": j + 1}, required=False
                )
            self.fields[f"section-{i}-new"] = forms.CharField(
                label=_("Add a point to this section"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        # Last, so it comes after the content in the form.
        self.fields["note"] = forms.CharField(
            label=_("What changed"),
            required=False,
            max_length=300,
            help_text=_("A few words for the list of versions."),
        )

    def sections(self) -> list[dict[str, Any]]:
        """The bound fields of each section, for the template."""
        found = []
        for i, section in enumerate(self.base.get("sections") or []):
            found.append(
                {
                    "title": self[f"section-{i}-title"],
                    "points": [
                        {
                            "text": self[f"point-{i}-{j}-text"],
                            "delete": self[f"point-{i}-{j}-delete"],
                            "merged": len(
                                [
                                    s
                                    for s in point.get("sources") or []
                                    if isinstance(s, dict) and s.get("kind") == "recommendation"
                                ]
                            ),
                        }
                        for j, point in enumerate(section.get("points") or [])
                    ],
                    "new": self[f"section-{i}-new"],
                }
            )
        return found

    def content(self, data: dict[str, Any]) -> dict[str, Any]:
        """The edited content (from cleaned ``data``)."""
        content = copy.deepcopy(self.base)
        content["introduction"] = data.get("introduction", "")
        for i, section in enumerate(content.get("sections") or []):
            section["title"] = data.get(f"section-{i}-title", "")
            points = []
            for j, point in enumerate(section.get("points") or []):
                if data.get(f"point-{i}-{j}-delete"):
                    continue
                points.append({**point, "text": data.get(f"point-{i}-{j}-text", "")})
            new = (data.get(f"section-{i}-new") or "").strip()
            if new:
                points.append({"id": "", "text": new, "sources": [], "merged": False})
            section["points"] = points
        return content


class CompareForm(forms.Form):
    """Two versions to compare (any two)."""

    a = forms.TypedChoiceField(label=_("Compare version"), coerce=int)
    b = forms.TypedChoiceField(label=_("with version"), coerce=int)

    def __init__(self, data: Any = None, *, numbers: list[int]) -> None:
        super().__init__(data)
        choices = [(n, str(n)) for n in numbers]
        for name in ("a", "b"):
            self.fields[name].choices = choices  # type: ignore[attr-defined]
        if len(numbers) >= 2:
            self.fields["a"].initial = numbers[-2]
            self.fields["b"].initial = numbers[-1]
