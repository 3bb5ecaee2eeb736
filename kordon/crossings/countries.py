"""Country codes and names: ISO 3166-1 from pycountry, plus the codes ICAO 9303 adds for passports."""

import pycountry
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# ICAO Doc 9303 Part 3, section 5: codes a passport may carry that are not ISO 3166-1 countries.
# pycountry holds only ISO 3166-1, so these few are listed here.
ICAO_EXTRA_CODES = {
    "D": gettext_lazy("Germany"),
    "EUE": gettext_lazy("European Union"),
    "GBD": gettext_lazy("British Overseas Territories Citizen"),
    "GBN": gettext_lazy("British National (Overseas)"),
    "GBO": gettext_lazy("British Overseas Citizen"),
    "GBP": gettext_lazy("British Protected Person"),
    "GBS": gettext_lazy("British Subject"),
    "RKS": gettext_lazy("Kosovo"),
    "UNA": gettext_lazy("Specialized agency of the United Nations"),
    "UNK": gettext_lazy("Resident of Kosovo (UNMIK)"),
    "UNO": gettext_lazy("United Nations"),
    "XBA": gettext_lazy("African Development Bank"),
    "XCC": gettext_lazy("Caribbean Community"),
    "XCE": gettext_lazy("Council of Europe"),
    "XCO": gettext_lazy("Common Market for Eastern and Southern Africa"),
    "XDC": gettext_lazy("Southern African Development Community"),
    "XEC": gettext_lazy("Economic Community of West African States"),
    "XES": gettext_lazy("Organisation of Eastern Caribbean States"),
    "XIM": gettext_lazy("African Export-Import Bank"),
    "XMP": gettext_lazy("Mekong River Commission"),
    "XOM": gettext_lazy("Sovereign Military Order of Malta"),
    "XPO": gettext_lazy("Interpol"),
    "XXA": gettext_lazy("Stateless person"),
    "XXB": gettext_lazy("Refugee (1951 Convention)"),
    "XXC": gettext_lazy("Refugee (other)"),
    "XXX": gettext_lazy("Nationality not stated"),
}


def is_nationality(code: str) -> bool:
    """Whether `code` may stand in a passport's nationality field (ISO 3166-1 alpha-3 or ICAO's extras)."""
    code = code.strip().upper()
    return code in ICAO_EXTRA_CODES or (len(code) == 3 and pycountry.countries.get(alpha_3=code) is not None)


def nationality_problem_message(code: str) -> str:
    return _("“%(code)s” is not a country code. Use the 3-letter code printed in the passport, e.g. DEU "
             "(D for Germany, XXA for a stateless person).") % {"code": code}


def country_name(alpha_2: str) -> str:
    """The country's common name ("Kyrgyzstan" for KG), or the code itself if it is not a country."""
    found = pycountry.countries.get(alpha_2=alpha_2.upper())
    if found is None:
        return alpha_2
    return str(getattr(found, "common_name", found.name))
