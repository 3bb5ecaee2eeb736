# Tajik joins day and month with the izafet ("5 июни") and names the year: "5 июни соли 2026".
DATE_FORMAT = r"j E \с\о\л\и Y"
DATETIME_FORMAT = r"j E \с\о\л\и Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "j E, H:i"  # a time within days of today, as the console shows it
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
