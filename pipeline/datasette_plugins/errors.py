"""Datasette plugin: a request Datasette 0.65.5 mishandles gets a good answer, and a bad query no log noise.

- Its default error page prints a traceback with rich outside an `except`
  block (for a 404 there is no exception being handled), and rich raises
  there: every unknown route answered 500. The page needs no console
  traceback, so that printing is turned off.
- A table page sorted by a column it does not show (`?_sort_desc=amount_x100&_col=amount`)
  failed with 400 "incomplete input" as soon as it had a next page (it looks
  the sort value up by primary key, and a rowid table has none). Such an
  address is redirected to the same page showing the sort column too.
- An unknown sort column is the reader's mistake: 400, not 500.
- A query that SQLite rejects is the reader's mistake, answered on the page:
  Datasette no longer writes it, with its whole SQL, to the server's log.
"""

from __future__ import annotations

import functools
from urllib.parse import parse_qsl, quote, urlencode

from datasette import Response, hookimpl
from datasette.views.base import DatasetteError


@hookimpl
def startup(datasette):
    import datasette.handle_exception as handler

    handler.rich = None
    for database in datasette.databases.values():
        database.execute = _quiet(database.execute)


def _quiet(execute):
    """`Database.execute` that never logs the SQL it failed on (the query page passes log_sql_errors=True)."""
    @functools.wraps(execute)
    async def quietly(*args, **kwargs):
        return await execute(*args, **{**kwargs, "log_sql_errors": False})

    return quietly


@hookimpl
def handle_exception(exception):
    if isinstance(exception, DatasetteError) and exception.status == 500 and str(exception.message).startswith(
            ("Cannot sort table by", "Cannot use _sort and _sort_desc")):
        exception.status = 400  # the default handler answers with it
    return None


def sort_column_shown(path: str, query: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """The query of a table page that is sorted by a column it leaves out, changed to show that column; else None."""
    if path.startswith("/-/") or path.count("/") != 2:  # /<database>/<table>[.json|.csv]
        return None
    sort = next((value for key, value in reversed(query) if key in ("_sort", "_sort_desc")), None)
    if not sort or sort == "rowid":
        return None
    selected = [value for key, value in query if key == "_col"]
    if selected and sort not in selected:
        return [*query, ("_col", sort)]
    if ("_nocol", sort) in query:
        return [(key, value) for key, value in query if (key, value) != ("_nocol", sort)]
    return None


@hookimpl
def asgi_wrapper():
    def wrap(app):
        async def sorted_by_a_shown_column(scope, receive, send):
            if scope.get("type") == "http" and scope.get("method") == "GET":
                query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
                changed = sort_column_shown(scope["path"], query)
                if changed is not None:
                    path = scope.get("raw_path", b"").decode("latin-1") or quote(scope["path"])
                    response = Response.redirect(f"{path}?{urlencode(changed)}")
                    return await response.asgi_send(send)
            return await app(scope, receive, send)

        return sorted_by_a_shown_column

    return wrap
