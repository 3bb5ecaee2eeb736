"""What the review app announces; notifications (above it) reacts."""

from django.dispatch import Signal

# Sent inside the filing transaction with ``review`` when a notice goes to a reviewer.
notice_held = Signal()
