# Kyrgyz writes the year first and joins numbers to their suffixes: "2026-ж. 5-июнь".
DATE_FORMAT = r"Y-\ж. j-E"
DATETIME_FORMAT = r"Y-\ж. j-E, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j-E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "j-E, H:i"  # a time within days of today, as the console shows it
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
