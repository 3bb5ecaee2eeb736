"""What the review app announces; notifications (above it) reacts."""

from django.dispatch import Signal

# Sent inside the filing transaction with ``review`` when a notice goes to a reviewer.
notice_held = Signal()

# Sent inside the decision's transaction with ``review`` (its ``decision``: accepted or refused).
review_decided = Signal()
