"""The access matrix (foundation issue, section 4).

`test_matrix.py` walks every URL pattern and asks it as every persona of the standing world, against
an own-organisation, a partner's and an outsider's object, with every HTTP method;
`test_api_matrix.py` does the same for every operation of the API's schema with personal and
organisation tokens. A new route needs a line in a table under `declarations/` (and, when it takes
arguments, a resolver in `objects.py`): the matrix fails for any route without one, for any
declaration naming a route that is gone, and for any answer that differs.
"""
