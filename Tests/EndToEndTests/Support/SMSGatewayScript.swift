/// The SMS gateway of the outbox tests: python's http.server on 127.0.0.1 with scripted answers, one JSON line
/// per request. Kept as Swift text so the test target needs no resource files.
let smsGatewayScript = #"""
# An SMS gateway for billingd's tests (http.server on 127.0.0.1). Usage: sms_gateway.py FOLDER PLAN_JSON
# PLAN: {"responses": [[status, {"Header": "value"}, "body"], ...]}: answers to the first requests, then 200 with
# {"id": "sms-N"}; "tls": ["cert.pem", "key.pem"] serves HTTPS. Writes FOLDER/port once listening and one JSON line per request to FOLDER/log.jsonl.
import http.server, json, os, ssl, sys, threading

folder, plan = sys.argv[1], json.loads(sys.argv[2])
responses = list(plan.get("responses", []))
log = open(os.path.join(folder, "log.jsonl"), "a", buffering=1)
lock = threading.Lock()
count = [0]

class Gateway(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            count[0] += 1
            answer = responses.pop(0) if responses else [200, {}, json.dumps({"id": "sms-%d" % count[0]})]
            log.write(json.dumps({"path": self.path, "authorization": self.headers.get("Authorization"),
                                  "idempotencyKey": self.headers.get("Idempotency-Key"),
                                  "contentType": self.headers.get("Content-Type"),
                                  "body": json.loads(body or b"null"), "status": answer[0]}) + "\n")
        status, headers, text = answer
        payload = text.encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
if plan.get("tls"):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*plan["tls"])
    server.socket = context.wrap_socket(server.socket, server_side=True)
with open(os.path.join(folder, "port.tmp"), "w") as f:
    f.write(str(server.server_address[1]))
os.rename(os.path.join(folder, "port.tmp"), os.path.join(folder, "port"))
# Bounded: a test that forgets the gateway does not leave it running for long.
threading.Timer(float(plan.get("lifetime_s", 600)), server.shutdown).start()
server.serve_forever()
"""#
