"""What headquarters looks at: per post and day, who was listed, stamped, admitted, refused, and paid."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Sum

from kordon.crossings.models import Post
from kordon.payments.models import Kind, Receipt
from kordon.posts.models import Refusal, Stamp, StampKind
from kordon.posts.services import entry_list


@dataclass
class PostDay:
    """One post's day, in the post's own calendar. `payments` is the money received per currency
    for notices arriving at this post (cash at the post and online payments alike)."""

    post: Post
    day: date
    arrivals: int = 0  # on the day's list: listed for it, or admitted that day
    stamps: int = 0
    admissions: int = 0
    refusals: int = 0
    payments: int = 0
    amounts: dict[str, Decimal] = field(default_factory=dict)


def dashboard(days: int = 7) -> list[PostDay]:
    """The last `days` days of every post, newest first; each post counts by its own date."""
    rows = []
    for post in Post.objects.select_related("crossing").order_by("crossing__name", "name"):
        today = post.local_today()
        rows += [_post_day(post, today - timedelta(days=back)) for back in range(days)]
    return sorted(rows, key=lambda r: (-r.day.toordinal(), r.post.name))


def _post_day(post: Post, day: date) -> PostDay:
    row = PostDay(post, day, arrivals=entry_list(post, day).count())
    stamps = Stamp.objects.filter(post=post, local_date=day, kind=StampKind.ENTRY)
    counted = dict(stamps.values_list("admission").annotate(n=Count("pk")).values_list("admission", "n"))
    row.stamps, row.admissions = counted.get(False, 0), counted.get(True, 0)
    zone = ZoneInfo(post.timezone)
    start = datetime.combine(day, time.min, zone)
    row.refusals = Refusal.objects.filter(post=post, at__gte=start, at__lt=start + timedelta(days=1)).count()
    receipts = Receipt.objects.filter(issued_on=day, kind=Kind.PAYMENT, notice__direction__to_post=post)
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    for currency, total, n in receipts.values_list("currency").annotate(total=Sum("amount"), n=Count("pk")) \
            .values_list("currency", "total", "n"):
        amounts[currency] += Decimal(total).quantize(Decimal("0.01"))
        row.payments += n
    row.amounts = dict(sorted(amounts.items()))
    return row
