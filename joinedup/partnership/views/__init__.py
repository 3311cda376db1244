"""Views of the partnership app, one module per area (shell, people, organisations, admin, import, tokens)."""
