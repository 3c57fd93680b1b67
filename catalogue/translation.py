"""The catalogue's functions in the reader's language (django-modeltranslation), as the
directory's sectors are: one column per language, English as the fallback."""

from modeltranslation.translator import TranslationOptions, register

from catalogue.models import FunctionCategory


@register(FunctionCategory)
class FunctionCategoryTranslation(TranslationOptions):
    fields = ("name",)
