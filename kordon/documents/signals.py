"""What the retention schedule announces, for apps that react to anonymization."""

from django.dispatch import Signal

# Sent inside the transaction that anonymizes notices (see retention.py), after every app's
# shredders (kordon.shredding) blanked their copies, with ``notice_ids``: the pks of the notices
# just anonymized. An exception in a receiver rolls the batch back.
personal_data_anonymized = Signal()
