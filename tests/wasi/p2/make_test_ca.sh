#!/bin/sh
# tests/wasi/p2: makes, with the openssl command-line tool, a throw-away certificate authority and a
# server certificate it signs for 127.0.0.1 and localhost, for the HTTPS tests' loopback server:
# DIR/ca.pem (the CA's certificate, what a client is told to trust), DIR/server.pem and DIR/server.key.
# EC P-256 keys: quick to make. Made at test time, never committed.
# usage: make_test_ca.sh DIR
set -eu
dir=$1
mkdir -p "$dir"
cd "$dir"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=airwasm test CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
  -keyout ca.key -out ca.pem 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
  -keyout server.key -out server.csr 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext \
  -out server.pem 2>/dev/null
