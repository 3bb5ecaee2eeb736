"""Messages that Django's own catalogues lack for Tajik (and month forms kordon's dates need), marked
here so that makemessages keeps them in kordon's catalogues, which take precedence over Django's.

Imported by nothing at run time: gettext finds these translations by their text.
"""

from django.utils.translation import ngettext_lazy, pgettext_lazy

# The "E" date format: the month as it stands after a day number (ru genitive, tg izafet, ky lower case).
MONTHS_AFTER_A_DAY = [
    pgettext_lazy("alt. month", "January"), pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"), pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"), pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"), pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"), pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"), pgettext_lazy("alt. month", "December"),
]

# Form field lengths (django.core.validators): untranslated in Django's Tajik catalogue.
LENGTHS = [
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
]
