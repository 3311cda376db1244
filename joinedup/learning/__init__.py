"""Shared learning offer: catalogue, bookings, waitlists, release of unfilled places, recharges."""
