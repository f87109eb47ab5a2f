"""Real-world check of the _ssl binding: http.server behind an SSL-wrapped listening socket, served by our modules
(run it in the host: `Netty.PySocket.Host run interop/examples/https_check.py`), fetched three times by the native
python3's urllib with certificate verification; exits 0 when every body arrives intact.
"""
import functools, http.server, ssl, os, sys, subprocess, threading
root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
d = os.path.join(os.path.dirname(__import__('test').__file__), 'certdata')
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(os.path.join(d, 'keycert.pem'))
httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(http.server.SimpleHTTPRequestHandler, directory=root))
httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
port = httpd.server_address[1]
threading.Thread(target=httpd.serve_forever, daemon=True).start()
client = f"""
import ssl, urllib.request, hashlib
ctx = ssl.create_default_context(cafile={os.path.join(d, 'pycacert.pem')!r})
ctx.load_verify_locations({os.path.join(d, 'keycert.pem')!r})
for i in range(3):
    with urllib.request.urlopen('https://localhost:{port}/README.md', context=ctx) as r:
        body = r.read()
        print(r.status, len(body), hashlib.sha256(body).hexdigest()[:16])
"""
out = subprocess.run([sys.executable, "-c", client], capture_output=True, text=True, timeout=60)
print("native client:", out.stdout, out.stderr[-2000:])
import hashlib
body = open(os.path.join(root, "README.md"), "rb").read()
print("expected:", len(body), hashlib.sha256(body).hexdigest()[:16])
httpd.shutdown()
sys.exit(0 if out.returncode == 0 and str(len(body)) in out.stdout else 1)
