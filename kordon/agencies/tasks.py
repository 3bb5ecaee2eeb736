"""Posting webhooks in the background worker."""

from django_tasks import task

from kordon.agencies import webhooks


@task()
def deliver(delivery_id: int) -> str:
    return webhooks.deliver_now(delivery_id)
