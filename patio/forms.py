from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Every form renders its fields one way: label, input, help and errors tied together with
    aria-describedby, in templates/forms/ (so pages never hand-roll a field)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
