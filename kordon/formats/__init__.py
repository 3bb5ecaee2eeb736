# Date and number formats per language (FORMAT_MODULE_PATH), where Django's are missing or wrong.
#
# - en: British order ("5 June 2026"), 24-hour clock, as the pages always used.
# - ru: day and month in the genitive ("5 июня"); Django's MONTH_DAY_FORMAT uses the nominative.
# - ky: year first, with the Kyrgyz suffixes ("2026-ж. 5-июнь"); decimal comma.
# - tg: the izafet month ("5 июни соли 2026"); Django's tg uses the Russian "г.".
# - SHORT_DATETIME_FORMAT, in every language: a time within days of today, day and month in words ("5 июня, 14:30").
# The month forms themselves are in kordon's catalogues (see kordon.formats.catalogue).
