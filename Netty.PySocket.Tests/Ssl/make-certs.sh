#!/bin/bash
# Test certificates, made fresh by every test run: a CA, a server cert (DNS + IP SANs, OCSP/caIssuers/CRL),
# an expired server cert, a self-signed cert, a client cert, an encrypted key and a mismatched key.
set -euo pipefail
d="$1"; mkdir -p "$d"; cd "$d"
q() { "$@" >/dev/null 2>&1; }
q openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 -subj "/C=US/O=PySocket Test/CN=PySocket Test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
cat > server.ext <<X
basicConstraints=CA:FALSE
subjectAltName=DNS:localhost,DNS:*.example.test,IP:127.0.0.1,IP:::1,email:ops@example.test,URI:https://example.test/x
authorityInfoAccess=OCSP;URI:http://ocsp.example.test/,caIssuers;URI:http://ca.example.test/ca.der
crlDistributionPoints=URI:http://crl.example.test/ca.crl
extendedKeyUsage=serverAuth
X
q openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/C=US/ST=CA/L=Test City/O=PySocket Test/OU=Unit/CN=localhost/emailAddress=ops@example.test"
q openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -set_serial 0x1A2B3C -days 825 -extfile server.ext -out server.pem
cat server.pem server.key > server-combined.pem
# expired: valid 2000-2001
cat > expired.ext <<X
basicConstraints=CA:FALSE
subjectAltName=DNS:localhost,IP:127.0.0.1
X
q openssl req -newkey rsa:2048 -nodes -keyout expired.key -out expired.csr -subj "/CN=localhost"
mkdir -p cadb; : > cadb/index.txt; echo 4D > cadb/serial
cat > ca.cnf <<X
[ca]
default_ca=d
[d]
database=cadb/index.txt
serial=cadb/serial
new_certs_dir=cadb
default_md=sha256
policy=p
copy_extensions=none
unique_subject=no
[p]
commonName=supplied
X
q openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr -startdate 20000101000000Z -enddate 20010101000000Z -extfile expired.ext -out expired.pem -notext
q openssl req -x509 -newkey rsa:2048 -nodes -keyout selfsigned.key -out selfsigned.pem -days 365 -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1"
cat > client.ext <<X
basicConstraints=CA:FALSE
extendedKeyUsage=clientAuth
X
q openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj "/CN=PySocket Client"
q openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -set_serial 5 -days 825 -extfile client.ext -out client.pem
q openssl pkey -in server.key -aes256 -passout pass:secret -out server-enc.key
q openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out other.key
openssl x509 -in server.pem -outform DER -out server.der
echo ok
