"""What the notices app announces; apps above it (notifications) react without being imported here."""

from django.dispatch import Signal

# Sent inside the cancelling transaction with ``notice``: a receiver's failure rolls it back.
notice_cancelled = Signal()

# Sent inside the request's transaction with ``notice`` and ``site_url``: someone holding the notice's
# contact asked for its link again (kordon.notifications sends it).
link_requested = Signal()

# Sent inside the filing transaction with ``notice`` (its status says whether it is accepted or
# under review), and inside an amendment's (a new date, a newcomer) with ``notice``.
notice_filed = Signal()
notice_amended = Signal()
