"""Delivering notifications in the background worker (`kordon db_worker`)."""

from django_tasks import task

from kordon.notifications import services


@task()
def deliver(notification_id: int) -> str:
    """Send one notification if it is still due; safe to run twice (the row is claimed first)."""
    return services.deliver_now(notification_id)


@task()
def daily() -> dict[str, int]:
    """Reminders two days ahead, today's lists, and anything left undelivered."""
    return services.daily_round()


@task()
def send_link(notice_pk: int, site_url: str) -> str:
    """Mail a notice's contact address a new link ("send me my link again"); the old link stops working."""
    return services.send_link(notice_pk, site_url)
