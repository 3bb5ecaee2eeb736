"""What the payments app announces; apps above it (notifications) react without being imported here."""

from django.dispatch import Signal

# Sent inside the payment's (or refund's) transaction with ``receipt``, just numbered.
receipt_issued = Signal()
