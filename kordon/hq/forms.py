"""Creating an officer in one step: account, post, role and password; the API token is shown once."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from kordon.crossings.models import Post
from kordon.posts.models import Role


class OfficerForm(forms.Form):
    username = forms.RegexField(r"^[\w.@+-]{2,150}$", max_length=150, label=_("User name"),
                                error_messages={"required": _("Enter the officer's user name."),
                                                "invalid": _("Use 2 to 150 letters, digits and . @ + - _ only.")})
    post = forms.ModelChoiceField(Post.objects.order_by("name"), label=_("Post"), empty_label=None,
                                  error_messages={"required": _("Choose the officer's post.")})
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))
    password = forms.CharField(widget=forms.PasswordInput(render_value=False), label=_("Password for the console"),
                               required=False, help_text=_("Leave empty for an account that only uses the API token."))

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("The user %(name)s exists already. Choose another name.")
                                        % {"name": username})
        return username

    def clean_password(self) -> str:
        password: str = self.cleaned_data.get("password", "")
        if password:
            validate_password(password)
        return password
