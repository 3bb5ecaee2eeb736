"""Demo parties: listed today and tomorrow at both posts, marked as demo, only with DEBUG, once."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from kordon.notices.models import Notice
from kordon.posts.services import entry_list

pytestmark = pytest.mark.django_db


def test_demo_parties_are_listed_today_and_tomorrow_at_both_posts(crossing, settings):
    settings.DEBUG = True
    call_command("demoparties")
    for post in crossing.posts.all():
        today = post.local_today()
        for day in (today, today + timedelta(days=1)):
            listed = list(entry_list(post, day))
            assert listed and all(t.notice.is_demo and t.surname.startswith("Demo-") for t in listed)


def test_running_the_demo_again_adds_nobody(crossing, settings):
    settings.DEBUG = True
    call_command("demoparties")
    count = Notice.objects.count()
    call_command("demoparties")
    assert Notice.objects.count() == count and count > 0


def test_demo_parties_are_refused_without_debug(crossing, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only created with KORDON_DEBUG=true"):
        call_command("demoparties")
    assert Notice.objects.count() == 0
