"""The materials pages, one module per area: a material and changing it, sharing and reuse,
reports, downloads and the public pages (the library search is in `library.py`)."""
