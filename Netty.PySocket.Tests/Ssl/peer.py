# A CPython ssl peer for the tests. argv[1] is a JSON object: role (server|client), port, certfile, keyfile,
# cafile, alpn, hostname, verify (client cert required), action. Prints "PORT n" (server) then one JSON line per result.
import hashlib, json, socket, ssl, sys
cfg = json.loads(sys.argv[1])
out = lambda **kw: (print(json.dumps(kw), flush=True))

def ctx(server):
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER if server else ssl.PROTOCOL_TLS_CLIENT)
    if cfg.get('certfile'): c.load_cert_chain(cfg['certfile'], cfg.get('keyfile'))
    if cfg.get('cafile'): c.load_verify_locations(cfg['cafile'])
    if server and cfg.get('verify'): c.verify_mode = ssl.CERT_REQUIRED
    if cfg.get('alpn'): c.set_alpn_protocols(cfg['alpn'])
    if not server and cfg.get('noverify'): c.check_hostname = False; c.verify_mode = ssl.CERT_NONE
    return c

def pattern(n):
    block = bytes(range(256)) * 256
    full, rest = divmod(n, len(block))
    return block * full + block[:rest]

def act(s, plain):
    a = cfg.get('action', 'echo')
    if a == 'echo':
        while True:
            d = s.recv(65536)
            if not d: break
            s.sendall(d)
    elif a == 'info':
        out(cert=repr(s.getpeercert()), der=s.getpeercert(True).hex() if s.getpeercert(True) else None,
            cipher=list(s.cipher()), version=s.version(), alpn=s.selected_alpn_protocol())
        s.sendall(b'bye')
        s.recv(10)
    elif a == 'sink':
        h = hashlib.sha256(); n = 0
        while True:
            d = s.recv(1 << 20)
            if not d: break
            h.update(d); n += len(d)
        out(n=n, sha=h.hexdigest())
        s.sendall(b'done')
    elif a == 'source':
        s.sendall(pattern(cfg['n']))
        s.unwrap() if cfg.get('close_notify') else None
        s.close()
    elif a == 'ragged':
        s.sendall(b'partial')
        import os
        os.close(s.detach())
    elif a == 'starttls':
        # plain "hello" -> "ok"; TLS "secret" -> "SECRET"; unwrap; plain "after" -> "AFTER"
        assert plain.recv(5) == b'hello'; plain.sendall(b'ok')
        t = ctx(cfg['role'] == 'server').wrap_socket(plain, server_side=cfg['role'] == 'server',
                                                     server_hostname=None if cfg['role'] == 'server' else cfg.get('hostname'))
        d = t.recv(6); t.sendall(d.upper())
        p = t.unwrap()
        d = p.recv(5); p.sendall(d.upper())
        p.recv(1)
        out(done=True)

if cfg['role'] == 'server':
    l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(); print('PORT', l.getsockname()[1], flush=True)
    plain, _ = l.accept()
    if cfg.get('action') == 'starttls': act(None, plain)
    else:
        try:
            s = ctx(True).wrap_socket(plain, server_side=True)
        except Exception as e:
            out(error=type(e).__name__, args=[str(x) for x in e.args]); sys.exit(0)
        act(s, plain)
else:
    plain = socket.create_connection(('127.0.0.1', cfg['port']))
    if cfg.get('action') == 'starttls':
        plain.sendall(b'hello'); assert plain.recv(2) == b'ok'
        t = ctx(False).wrap_socket(plain, server_hostname=cfg.get('hostname'))
        t.sendall(b'secret'); assert t.recv(6) == b'SECRET'
        p = t.unwrap(); p.sendall(b'after'); out(after=p.recv(5).decode()); p.close()
    else:
        try:
            s = ctx(False).wrap_socket(plain, server_hostname=cfg.get('hostname'))
        except Exception as e:
            out(error=type(e).__name__, args=[str(x) for x in e.args]); sys.exit(0)
        if cfg.get('action') == 'hello':
            s.sendall(b'hello'); out(reply=s.recv(100).decode()); s.close()
        else:
            act(s, plain)
