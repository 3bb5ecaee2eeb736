"""Background work of the posts: alerting supervisors of parties overdue between the posts."""

from django_tasks import task

from kordon.posts import services


@task()
def alert_overdue_parties() -> int:
    """Alert each overdue party's receiving post once; returns how many parties this run alerted."""
    return services.alert_overdue()
