"""Run in the interop host: http.server behind an SSL-wrapped listening socket, on our ssl/_socket modules.
argv: certdir docroot. Prints "PORT n", serves until stdin closes, then prints "DONE"."""
import functools, http.server, ssl, sys, threading

certdir, root = sys.argv[1], sys.argv[2]
assert "SslStream" in ssl.OPENSSL_VERSION, ssl.OPENSSL_VERSION  # ours, not CPython's _ssl


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: several requests on one TLS connection


ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(f"{certdir}/server.pem", f"{certdir}/server.key")
httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=root))
httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
print("PORT", httpd.server_address[1], flush=True)
threading.Thread(target=httpd.serve_forever, daemon=True).start()
sys.stdin.read()
httpd.shutdown()
httpd.server_close()
print("DONE", flush=True)
