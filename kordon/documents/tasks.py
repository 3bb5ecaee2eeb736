"""Background work on documents: the daily retention run (queued by `kordon retention`)."""

from django_tasks import task

from kordon.documents import retention


@task()
def apply_retention() -> dict[str, object]:
    """Delete documents and anonymize personal data that every crossing's periods say are due."""
    return retention.apply_retention().as_dict()
