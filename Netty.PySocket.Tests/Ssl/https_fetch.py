"""Run in the interop host: http.client (on our ssl/_socket modules) fetches a URL path over HTTPS, verifying the
server against a CA file. argv: port cafile path. Prints "status length sha256 tls-version"."""
import hashlib, http.client, ssl, sys

port, cafile, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
assert "SslStream" in ssl.OPENSSL_VERSION, ssl.OPENSSL_VERSION  # ours, not CPython's _ssl
ctx = ssl.create_default_context(cafile=cafile)
conn = http.client.HTTPSConnection("localhost", port, context=ctx, timeout=60)
conn.request("GET", path)
version = conn.sock.version()  # before the response: an HTTP/1.0 response closes conn.sock
r = conn.getresponse()
body = r.read()
conn.close()
print(r.status, len(body), hashlib.sha256(body).hexdigest(), version, flush=True)
