"""What the seals app announces; apps above it (notifications) react without being imported here."""

from django.dispatch import Signal

# Sent inside the issuing transaction with ``seal``: the traveller is to be given it.
seal_issued = Signal()
