import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kordon.settings")
application = get_wsgi_application()

# gunicorn writes the request line of the traveller's link (its token) to the access log: scrubbed.
from kordon.logs import scrub_gunicorn_logs  # noqa: E402 - needs the settings loaded above

scrub_gunicorn_logs()

# gunicorn imports this module and never runs Django's system checks: run them here, and refuse to
# start with demo secrets, a demo account or any other error (kordon.startup).
from kordon.startup import refuse_to_serve  # noqa: E402 - needs the settings loaded above

refuse_to_serve()
