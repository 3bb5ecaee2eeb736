"""Headquarters keeps no data of its own: the dashboard reads the posts', notices' and payments' rows."""
