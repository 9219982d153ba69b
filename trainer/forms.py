"""Helpers shared by every domain's forms."""


def apply_error(form, error) -> None:
    """Show a domain error on the field it names, or above the form."""
    field = getattr(error, "field", None)
    if field and field in form:
        form[field].errors = [*form[field].errors, str(error)]
    else:
        form.form_errors.append(str(error))
