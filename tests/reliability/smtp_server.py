"""A local SMTP server on a real socket, able to fail the way mail servers do.

``SmtpServer()`` listens on 127.0.0.1 (a free port) and speaks enough SMTP for Django's SMTP
backend (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT). Every message it accepts is kept in
``messages`` (parsed, with its envelope recipients). ``fail_next(n, mode)`` makes it refuse
the next ``n`` messages at the end of DATA, where a real server decides:

- ``"451"``: "451 4.3.0 try again later" (a temporary failure, the session goes on);
- ``"421"``: "421 4.3.2 shutting down", then the connection is closed;
- ``"drop"``: the connection is closed without an answer.

``stall_next()`` makes it read the next message and then answer nothing until ``release()``:
the sender is left waiting mid-send (``stalled`` is set), as when a server hangs.
"""

import email
import email.policy
import socket
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Received:
    recipients: tuple[str, ...]
    message: email.message.EmailMessage

    @property
    def kind(self) -> str:
        if self.message["X-PCC-Digest"]:
            return "digest"
        if self.message["X-PCC-Notification"]:
            return "notification"
        return "account"


class SmtpServer:
    def __init__(self):
        self.messages: list[Received] = []
        self.refused = 0
        self.stalled = threading.Event()
        self._release = threading.Event()
        self._failures: list[str] = []
        self._stall = False
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(32)
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self._running = True
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    # -- control --------------------------------------------------------------------------

    def fail_next(self, count: int, mode: str = "451") -> None:
        assert mode in {"451", "421", "drop"}
        with self._lock:
            self._failures += [mode] * count

    def stall_next(self) -> None:
        self.stalled.clear()
        self._release.clear()
        self._stall = True

    def release(self) -> None:
        """Let a stalled session go: it is closed without an answer (the message is lost to
        the sender, who never heard "250")."""
        self._release.set()

    def stop(self) -> None:
        self._running = False
        self._release.set()
        self._thread.join(timeout=5)
        self._listener.close()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            _close(sock)

    def received(self) -> dict[tuple[str, str], int]:
        """Messages accepted per (recipient, kind)."""
        counts: dict[tuple[str, str], int] = {}
        with self._lock:
            for item in self.messages:
                for recipient in item.recipients:
                    key = (recipient, item.kind)
                    counts[key] = counts.get(key, 0) + 1
        return counts

    # -- the protocol -------------------------------------------------------------------------

    def _accept(self) -> None:
        while self._running:
            try:
                sock, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            sock.settimeout(30)
            with self._lock:
                self._sockets.add(sock)
            threading.Thread(target=self._session, args=(sock,), daemon=True).start()

    def _session(self, sock: socket.socket) -> None:
        reader = sock.makefile("rb")

        def reply(line: str) -> None:
            sock.sendall(line.encode() + b"\r\n")

        try:
            reply("220 localhost test SMTP ready")
            recipients: list[str] = []
            while True:
                line = reader.readline()
                if not line:
                    return
                verb = line.decode("utf-8", "replace").strip()
                command = verb[:4].upper()
                if command == "EHLO":
                    reply("250-localhost")
                    reply("250 8BITMIME")
                elif command == "HELO":
                    reply("250 localhost")
                elif command == "MAIL":
                    recipients = []
                    reply("250 2.1.0 OK")
                elif command == "RCPT":
                    address = verb.split(":", 1)[1].strip().strip("<>").split(">")[0]
                    recipients.append(address)
                    reply("250 2.1.5 OK")
                elif command == "DATA":
                    reply("354 End data with <CR><LF>.<CR><LF>")
                    data = _read_data(reader)
                    if data is None:
                        return
                    if not self._finish_message(sock, reply, recipients, data):
                        return
                    recipients = []
                elif command == "RSET":
                    recipients = []
                    reply("250 2.0.0 OK")
                elif command == "NOOP":
                    reply("250 2.0.0 OK")
                elif command == "QUIT":
                    reply("221 2.0.0 Bye")
                    return
                else:
                    reply("502 5.5.2 Command not recognised")
        except OSError:
            return
        finally:
            with self._lock:
                self._sockets.discard(sock)
            _close(sock)

    def _finish_message(self, sock, reply, recipients, data: bytes) -> bool:
        """Accept or refuse one message; False when the session must end."""
        if self._stall:
            self._stall = False
            self.stalled.set()
            self._release.wait(timeout=120)
            return False
        with self._lock:
            mode = self._failures.pop(0) if self._failures else None
            if mode is not None:
                self.refused += 1
        if mode == "451":
            reply("451 4.3.0 Temporary failure, try again later")
            return True
        if mode == "421":
            reply("421 4.3.2 Service shutting down")
            return False
        if mode == "drop":
            return False
        message = email.message_from_bytes(data, policy=email.policy.default)
        with self._lock:
            self.messages.append(Received(tuple(recipients), message))
        reply("250 2.0.0 Queued")
        return True


def _read_data(reader) -> bytes | None:
    lines = []
    while True:
        line = reader.readline()
        if not line:
            return None
        if line in (b".\r\n", b".\n"):
            return b"".join(lines)
        if line.startswith(b".."):
            line = line[1:]
        lines.append(line)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
