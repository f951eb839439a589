from django import forms

from fairhearing.core.forms import Form


class DossierForm(Form):
    source_name = forms.CharField(
        label="Which organisation sent it?",
        max_length=200,
        error_messages={"required": "Enter the name of the organisation that sent the dossier."},
    )
    file = forms.FileField(
        label="Dossier file",
        help_text="CSV (UTF-8), XLSX or JSON, in the template's columns. Up to 50 MB.",
        allow_empty_file=True,
        error_messages={"required": "Choose the dossier file."},
    )
