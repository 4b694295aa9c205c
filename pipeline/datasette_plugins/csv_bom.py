"""Datasette plugin: CSV that Excel opens as Chinese.

Excel reads a CSV without a byte-order mark in the system's code page and
garbles UTF-8 Chinese. A CSV download (`_dl`, the "download file" box) or any
CSV asked for with `_bom=1` starts with the UTF-8 BOM.
"""

from urllib.parse import parse_qs

from datasette import hookimpl

BOM = b"\xef\xbb\xbf"


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def with_bom(scope, receive, send):
            query = parse_qs(scope.get("query_string", b"").decode("latin-1")) if scope.get("type") == "http" else {}
            # the "download file" box sends _dl=on; Datasette downloads on any value, so do we
            wants = scope.get("path", "").endswith(".csv") and ("_dl" in query or query.get("_bom", ["0"])[0] != "0")
            if not wants:
                return await app(scope, receive, send)
            started = False

            async def send_with_bom(message):
                nonlocal started
                if message["type"] == "http.response.start":
                    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-length"]
                    message = {**message, "headers": headers}
                elif message["type"] == "http.response.body" and not started:
                    started = True
                    message = {**message, "body": BOM + message.get("body", b"")}
                await send(message)

            await app(scope, receive, send_with_bom)

        return with_bom

    return wrap
