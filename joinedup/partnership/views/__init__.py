"""Views of the partnership app, one module per area (shell, people, admin, import, tokens)."""
