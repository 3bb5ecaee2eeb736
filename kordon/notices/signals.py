"""What the notices app announces; apps above it (notifications) react without being imported here."""

from django.dispatch import Signal

# Sent inside the cancelling transaction with ``notice``: a receiver's failure rolls it back.
notice_cancelled = Signal()
