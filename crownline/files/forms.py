"""The order page's upload form."""

from __future__ import annotations

from django import forms


class UploadForm(forms.Form):
    file = forms.FileField(label="File", allow_empty_file=False)
    # Shown to lab staff only; a customer's files are always shared (the service decides).
    shared = forms.BooleanField(label="Share with the customer", required=False)
