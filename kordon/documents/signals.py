"""Signals other apps listen to, to shred their own copies of a traveller's personal data."""

from django.dispatch import Signal

# Sent inside the transaction that anonymizes notices (see retention.py), with ``notice_ids``: the
# pks of the notices just anonymized. Apps that keep personal data of a notice elsewhere (a payer's
# name, a seal's signed contents) blank it in a receiver; an exception rolls the batch back.
personal_data_anonymized = Signal()
