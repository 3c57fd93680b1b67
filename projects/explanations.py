"""The matcher's facts in words, in the reader's language: a score's parts and a gap report.

The matcher (projects/matching.py) stores facts, not sentences, so a proposal reads in whichever
language its reader uses."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from members.models import PersonLanguage, PersonSkill
from projects import matching


def _level(value: int) -> str:
    try:
        return str(PersonSkill.Level(value).label)
    except ValueError:
        return _("none")


def _duration(minutes: int) -> str:
    return _("%(h)d h %(m)02d min") % {"h": minutes // 60, "m": minutes % 60}


def parts(
    facts: dict, languages: dict[int, str], skill_names: dict[int, str] | None = None
) -> list[dict]:
    """[{"label", "points", "max", "why"}] for the four parts of a score.

    `skill_names` ({skill id: name}) names the skills in the reader's language: the facts keep
    the name in the language the run was made in, which words only a skill since removed."""
    skills = facts["skills"]
    names = skill_names or {}
    if skills["skills"]:
        why = "; ".join(
            _("%(skill)s: %(level)s (needs %(minimum)s)")
            % {
                "skill": names.get(s["skill"], s["name"]),
                "level": _level(s["level"]),
                "minimum": _level(s["min"]),
            }
            for s in skills["skills"]
        )
    else:
        why = _("The role asks for no particular skill.")
    language = facts["language"]
    if language["asked"]:
        try:
            proficiency = str(PersonLanguage.Proficiency(language["proficiency"]).label)
        except ValueError:
            proficiency = ""
        language_why = _("Works in %(language)s (%(proficiency)s).") % {
            "language": languages.get(language["language"], "?"),
            "proficiency": proficiency.lower(),
        }
    else:
        language_why = _("The role asks for no particular language.")
    overlap = facts["overlap"]
    if overlap["minutes"] is None:
        overlap_why = _("The team has no core hours.")
    else:
        overlap_why = _(
            "Their working day (%(zone)s) shares %(time)s with the core hours on the least "
            "favourable day of the project."
        ) % {"zone": overlap["zone"], "time": _duration(overlap["minutes"])}
    spare = facts["spare"]
    spare_why = ngettext(
        "%(free)d free hour a week; the role needs %(needed)d.",
        "%(free)d free hours a week; the role needs %(needed)d.",
        spare["free"],
    ) % {"free": spare["free"], "needed": spare["needed"]}
    return [
        {"label": _("Skills"), "points": skills["points"], "max": skills["max"], "why": why},
        {
            "label": _("Language"),
            "points": language["points"],
            "max": language["max"],
            "why": language_why,
        },
        {
            "label": _("Time zone"),
            "points": overlap["points"],
            "max": overlap["max"],
            "why": overlap_why,
        },
        {
            "label": _("Spare hours"),
            "points": spare["points"],
            "max": spare["max"],
            "why": spare_why,
        },
    ]


def gap(report: dict, role) -> list[str]:
    """Why nobody was proposed for a role: which requirement left out how many people."""
    names = {f"{matching.SKILL}:{s.skill_id}": s for s in role.skills.all()}
    project = role.project
    reasons = []
    for key, count in sorted(report["failed"].items(), key=lambda item: -item[1]):
        values = {"n": count}
        if key == matching.NOT_OPTED_IN:
            text = ngettext(
                "%(n)d person is not open to matching.",
                "%(n)d people are not open to matching.",
                count,
            )
        elif key == matching.INACTIVE:
            text = ngettext(
                "%(n)d person is not in a member co-op, or their account is closed.",
                "%(n)d people are not in a member co-op, or their account is closed.",
                count,
            )
        elif key == matching.DECLINED:
            text = ngettext(
                "%(n)d person declined this project.", "%(n)d people declined this project.", count
            )
        elif key == matching.NOT_AVAILABLE:
            text = ngettext(
                "%(n)d person is not available by the start date.",
                "%(n)d people are not available by the start date.",
                count,
            )
        elif key == matching.HOURS:
            values["hours"] = role.hours_per_week
            text = ngettext(
                "%(n)d person has fewer than %(hours)d free hours a week.",
                "%(n)d people have fewer than %(hours)d free hours a week.",
                count,
            )
        elif key == matching.LANGUAGE:
            text = ngettext(
                "%(n)d person works in none of the role's languages.",
                "%(n)d people work in none of the role's languages.",
                count,
            )
        elif key == matching.OVERLAP:
            values["hours"] = project.min_overlap_hours
            text = ngettext(
                "%(n)d person's working day overlaps the core hours by less than %(hours)d h.",
                "%(n)d people's working days overlap the core hours by less than %(hours)d h.",
                count,
            )
        elif key in names:
            values.update(skill=names[key].skill.name, level=_level(names[key].min_level))
            text = ngettext(
                "%(n)d person is below %(level)s in %(skill)s.",
                "%(n)d people are below %(level)s in %(skill)s.",
                count,
            )
        else:
            continue
        reasons.append(text % values)
    if report["candidates"]:
        reasons.append(
            ngettext(
                "%(n)d person meets every requirement, but the team's co-op rules or their "
                "hours left them out.",
                "%(n)d people meet every requirement, but the team's co-op rules or their "
                "hours left them out.",
                report["candidates"],
            )
            % {"n": report["candidates"]}
        )
    return reasons
