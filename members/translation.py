"""The controlled vocabularies in the reader's language (django-modeltranslation).

Each registered field gets one column per language of settings.MODELTRANSLATION_LANGUAGES in the
same table (`name_en`, `name_es`, `name_pt_br`…); `skill.name` reads the active language's and
falls back to English. A raw read (`values("skill__name")`, SQL) bypasses that: use
members.vocabulary instead.
"""

from modeltranslation.translator import TranslationOptions, register

from members.models import Sector, Skill, SkillCategory


@register(Skill)
class SkillTranslation(TranslationOptions):
    fields = ("name",)


@register(SkillCategory)
class SkillCategoryTranslation(TranslationOptions):
    fields = ("name",)


@register(Sector)
class SectorTranslation(TranslationOptions):
    fields = ("name",)
