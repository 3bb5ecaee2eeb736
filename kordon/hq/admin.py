"""Nothing of its own to administer (see models.py); the dashboard links to the admin."""
