"""1,000 logins at once (one request per connection, all sent together) against a running server;
prints the statuses and the time until the last answer. Usage: python3 bench/login_burst.py PORT [N]."""
import asyncio
import sys
import time

PORT = int(sys.argv[1])
N = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
BODY = b'{"username":"office","password":"Wrong-Pass-2026"}'
REQUEST = (b"POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           b"Connection: close\r\nContent-Length: " + str(len(BODY)).encode() + b"\r\n\r\n" + BODY)


async def login(start: asyncio.Event) -> str:
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    await start.wait()
    writer.write(REQUEST)
    await writer.drain()
    line = await reader.readline()
    writer.close()
    return line.split(b" ")[1].decode() if line else "closed"


async def main() -> None:
    start = asyncio.Event()
    tasks = [asyncio.create_task(login(start)) for _ in range(N)]
    await asyncio.sleep(1)
    t0 = time.monotonic()
    start.set()
    statuses = await asyncio.gather(*tasks, return_exceptions=True)
    counts: dict = {}
    for s in statuses:
        key = s if isinstance(s, str) else type(s).__name__
        counts[key] = counts.get(key, 0) + 1
    print(f"{N} logins at once: {counts}, last answer after {time.monotonic() - t0:.2f} s")


asyncio.run(main())
