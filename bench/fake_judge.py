#!/usr/bin/env python3
"""A fake judge model for bench/policies.sh: answers every OpenAI `POST .../chat/completions` after a fixed delay
with the verdict JSON luthien-proxy's ToolCallJudgePolicy asks for ({"probability": ..., "explanation": ...}).

  fake_judge.py --port 0 --delay-ms 50     prints "fake judge listening on <port>" once it listens

HTTP/1.1 keep-alive, one thread per connection, each answer written in one send with TCP_NODELAY (so no Nagle /
delayed-ACK stall is added to the delay). Python 3 standard library only.
"""
import argparse
import json
import socket
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERDICT = {"probability": 0.05, "explanation": "reads the weather; harmless"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    delay = 0.05

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if not self.path.endswith("/chat/completions"):
            self.answer(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
            return
        try:
            model = json.loads(raw).get("model", "judge-model")
        except ValueError:
            self.answer(400, {"error": {"message": "bad JSON", "type": "invalid_request_error"}})
            return
        time.sleep(self.delay)
        self.answer(200, {
            "id": "chatcmpl-judge", "object": "chat.completion", "created": 1700000000, "model": model,
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": json.dumps(VERDICT)}}],
            "usage": {"prompt_tokens": 60, "completion_tokens": 15, "total_tokens": 75},
        })

    def answer(self, status, body):
        data = json.dumps(body).encode()
        head = (f"HTTP/1.1 {status} {'OK' if status == 200 else 'Error'}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n").encode()
        self.wfile.write(head + data)

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay-ms", type=float, default=50)
    args = parser.parse_args()
    Handler.delay = args.delay_ms / 1000
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(f"fake judge listening on {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
