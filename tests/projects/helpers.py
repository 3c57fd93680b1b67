"""What the opportunity form posts, as a browser would send it."""

from __future__ import annotations

from projects.forms import SKILL_ROWS


def form_data(*, circle=None, roles=(), initial_roles=0, **fields) -> dict:
    """The post/edit form's fields; `roles` is a list of (title, hours, [(skill, level), …]);
    the first `initial_roles` of them stand for the roles the opportunity already has."""
    data = {
        "title": "A member portal",
        "description": "Sign-in and documents for 300 households.",
        "visibility": "members",
        "currency": "EUR",
        "budget": "12000",
        "roles-TOTAL_FORMS": str(len(roles)),
        "roles-INITIAL_FORMS": str(initial_roles),
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "20",
    }
    if circle is not None:
        data["circle"] = str(circle.pk)
    for index, (title, hours, skills) in enumerate(roles):
        prefix = f"roles-{index}-"
        data.update(
            {
                prefix + "title": title,
                prefix + "headcount": "1",
                prefix + "hours_per_week": str(hours),
            }
        )
        for row in range(SKILL_ROWS):
            data[f"{prefix}min_level_{row}"] = "2"
            data[f"{prefix}weight_{row}"] = "3"
        for row, (skill, level) in enumerate(skills):
            data[f"{prefix}skill_{row}"] = str(skill.pk)
            data[f"{prefix}min_level_{row}"] = str(level)
    data.update(fields)
    return data
