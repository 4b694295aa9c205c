"""Datasette plugin: CSV that Excel opens as Chinese.

Excel reads a CSV without a byte-order mark in the system's code page and
garbles UTF-8 Chinese. A CSV download (`_dl=1`, the "Download file" button) or
any CSV asked for with `_bom=1` starts with the UTF-8 BOM.
"""

from datasette import hookimpl

BOM = b"\xef\xbb\xbf"


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def with_bom(scope, receive, send):
            query = scope.get("query_string", b"") if scope.get("type") == "http" else b""
            wants = scope.get("path", "").endswith(".csv") and (b"_bom=1" in query or b"_dl=1" in query)
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
