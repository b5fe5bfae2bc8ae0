#!/usr/bin/env python3
"""tests/wasi/p2: a loopback HTTPS server (Python's http.server and ssl) for the wasi:http tests. It
listens on 127.0.0.1 at a port the kernel picks, prints that port on a line of its own, and answers
every request as the gtests' plain HTTP server does: 201 with the text
"you sent METHOD TARGET x-airwasm=VALUE body=BODY". Runs until killed.
usage: https_server.py CERT.pem KEY.pem
"""
import http.server
import ssl
import sys


class Echo(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def answer(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        text = (f'you sent {self.command} {self.path} x-airwasm={self.headers.get("x-airwasm", "")} body='
                .encode() + body)
        self.send_response(201)
        self.send_header('Content-Length', str(len(text)))
        self.send_header('Connection', 'close')
        self.end_headers()
        self.wfile.write(text)

    do_GET = do_POST = do_PUT = answer

    def log_message(self, *args):
        pass


def main():
    cert, key = sys.argv[1:3]
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Echo)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    server.socket = tls.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == '__main__':
    main()
