"""The learning app's pages, one module per area: booking (catalogue and the booking journey)."""
