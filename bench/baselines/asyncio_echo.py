#!/usr/bin/env python3
"""Plain Python asyncio echo server: the Python baseline for bench/run.sh.

Usage: asyncio_echo.py [PORT] [--framing raw|length]   (PORT 0 or nothing: any free port)
Prints "listening on 127.0.0.1:PORT" on stdout. raw echoes bytes as they come; length reads frames with a
4-byte big-endian length (struct '!I') and writes each one back, the way a framed Python server would.
"""
import argparse
import asyncio
import struct


class RawEcho(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data)


class LengthEcho(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.buffer = bytearray()

    def data_received(self, data):
        buf = self.buffer
        buf += data
        start, end = 0, len(buf)
        while end - start >= 4:
            (n,) = struct.unpack_from("!I", buf, start)
            if end - start < 4 + n:
                break
            start += 4 + n
        if start:
            # Every whole frame goes back in one write; a partial one waits for more bytes.
            self.transport.write(bytes(buf[:start]))
            del buf[:start]


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int, nargs="?", default=0)
    parser.add_argument("--framing", choices=["raw", "length"], default="raw")
    args = parser.parse_args()
    protocol = RawEcho if args.framing == "raw" else LengthEcho
    server = await asyncio.get_running_loop().create_server(protocol, "127.0.0.1", args.port, backlog=4096)
    print(f"listening on 127.0.0.1:{server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
