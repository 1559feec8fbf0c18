/// The SMTP server of the outbox tests: aiosmtpd on 127.0.0.1, scripted replies and faults, one JSON line per
/// accepted message. Kept as Swift text so the test target needs no resource files.
let smtpSinkScript = #"""
# An SMTP server for billingd's tests (aiosmtpd on 127.0.0.1). Usage: smtp_sink.py FOLDER PORT PLAN_JSON
# PLAN: {"data_replies": ["451 4.3.0 later", ...]   replies to the first messages' end of DATA, then 250
#        "drop_data": N      the first N DATA commands get a 354, then the connection is closed mid-message
#        "auth": ["user", "password"]   require AUTH with these credentials
#        "tls": ["cert.pem", "key.pem"]  offer STARTTLS and require it before MAIL and AUTH
#        "light": true       record only the log line (no .eml, no attachments): the crash test's 2,000 messages
#        "delay_ms": N       sleep between recording a message and answering 250: the window in which a sender
#                            that dies has delivered a message without learning it
#        "pipelining": true  offer PIPELINING (RFC 2920) in the EHLO reply
#        "rcpt_replies": ["550 …", ...]   replies to the first RCPT commands, then 250}
# Writes FOLDER/port once listening and one JSON line per accepted message to FOLDER/log.jsonl.
import asyncio, email, email.header, email.parser, email.policy, email.utils, json, os, ssl, sys
from aiosmtpd.smtp import SMTP, AuthResult

folder, port, plan = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
replies = list(plan.get("data_replies", []))
drops = [plan.get("drop_data", 0)]
counter = [0]
rcpt_replies = list(plan.get("rcpt_replies", []))
log = open(os.path.join(folder, "log.jsonl"), "a", buffering=1)

class Handler:
    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if plan.get("pipelining"):
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if rcpt_replies:
            return rcpt_replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if replies:
            return replies.pop(0)
        counter[0] += 1
        n = counter[0]
        msg = email.parser.BytesParser(policy=email.policy.default).parsebytes(
            envelope.original_content, headersonly=bool(plan.get("light")))
        record = {"n": n, "mailFrom": envelope.mail_from, "rcptTos": envelope.rcpt_tos,
                  "messageId": msg["Message-ID"], "from": msg["From"], "to": msg["To"],
                  "subject": msg["Subject"], "date": msg["Date"], "auth": session.authenticated,
                  "tls": session.ssl is not None}
        if not plan.get("light"):
            # What a strict reader makes of the headers: every defect, the To addresses decoded, the longest line.
            defects = [repr(d) for d in msg.defects]
            for name, value in msg.items():
                defects += ["%s: %r" % (name, d) for d in getattr(value, "defects", [])]
            head = envelope.original_content.split(b"\r\n\r\n")[0].split(b"\r\n")
            record.update(defects=defects, longestHeaderLine=max(len(line) for line in head),
                          toAddresses=[[a.display_name, a.addr_spec] for a in msg["To"].addresses],
                          # Names decoded by RFC 2047's rules (policy.default's address parser keeps the space
                          # between two encoded words of a display name).
                          toNames=[str(email.header.make_header(email.header.decode_header(name))) for name, _ in
                                   email.utils.getaddresses([email.message_from_bytes(envelope.original_content)["To"]])])
        if not plan.get("light"):
            with open(os.path.join(folder, "%05d.eml" % n), "wb") as f:
                f.write(envelope.original_content)
            record["contentType"] = msg.get_content_type()
            record["parts"] = [p.get_content_type() for p in msg.walk()]
            text = msg.get_body(preferencelist=("plain",))
            html = msg.get_body(preferencelist=("html",))
            record["text"] = text.get_content() if text else None
            record["html"] = html.get_content() if html else None
            record["attachments"] = []
            for part in msg.iter_attachments():
                path = os.path.join(folder, "%05d-%s" % (n, part.get_filename()))
                with open(path, "wb") as f:
                    f.write(part.get_payload(decode=True))
                record["attachments"].append({"filename": part.get_filename(),
                                              "contentType": part.get_content_type(), "path": path})
        log.write(json.dumps(record) + "\n")
        if plan.get("delay_ms"):
            await asyncio.sleep(plan["delay_ms"] / 1000)
        return "250 2.0.0 Ok: queued as sink-%d" % n

class DroppingSMTP(SMTP):
    async def smtp_DATA(self, arg):
        if drops[0] > 0 and self.envelope.rcpt_tos:
            drops[0] -= 1
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            await self._reader.readline()
            self.transport.close()
            return
        return await super().smtp_DATA(arg)

def authenticator(server, session, envelope, mechanism, auth_data):
    user, password = plan["auth"]
    ok = auth_data.login.decode() == user and auth_data.password.decode() == password
    return AuthResult(success=ok)

def factory():
    kwargs = {"hostname": "sink.test"}
    if plan.get("auth"):
        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=bool(plan.get("tls")))
    if plan.get("tls"):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*plan["tls"])
        kwargs.update(tls_context=context, require_starttls=True)
    return DroppingSMTP(Handler(), **kwargs)

async def main():
    server = await asyncio.get_running_loop().create_server(factory, "127.0.0.1", port)
    with open(os.path.join(folder, "port.tmp"), "w") as f:
        f.write(str(server.sockets[0].getsockname()[1]))
    os.rename(os.path.join(folder, "port.tmp"), os.path.join(folder, "port"))
    # Bounded: a test that forgets the server does not leave it running for long.
    await asyncio.sleep(float(plan.get("lifetime_s", 600)))

asyncio.run(main())
"""#
