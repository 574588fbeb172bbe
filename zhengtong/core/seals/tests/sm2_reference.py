"""An independent SM2 verifier (GB/T 32918.2) in plain Python, for cross-checking gmalglib.

Affine arithmetic on the SM2 curve; SM3 from ``cryptography`` (OpenSSL), not gmalglib.
Slow and for tests only.
"""

from __future__ import annotations

from zhengtong.lib.gm import sm3_bytes

P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
A = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC
B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
G = (0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7,
     0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0)

Point = tuple[int, int] | None


def _add(p: Point, q: Point) -> Point:
    if p is None:
        return q
    if q is None:
        return p
    if p[0] == q[0] and (p[1] + q[1]) % P == 0:
        return None
    if p == q:
        slope = (3 * p[0] * p[0] + A) * pow(2 * p[1], -1, P) % P
    else:
        slope = (q[1] - p[1]) * pow(q[0] - p[0], -1, P) % P
    x = (slope * slope - p[0] - q[0]) % P
    return x, (slope * (p[0] - x) - p[1]) % P


def _mul(k: int, point: Point) -> Point:
    result: Point = None
    while k:
        if k & 1:
            result = _add(result, point)
        point = _add(point, point)
        k >>= 1
    return result


def _b(n: int) -> bytes:
    return n.to_bytes(32, "big")


def z_value(public: bytes, uid: bytes = b"1234567812345678") -> bytes:
    entl = (len(uid) * 8).to_bytes(2, "big")
    return sm3_bytes(entl + uid + _b(A) + _b(B) + _b(G[0]) + _b(G[1]) + public[1:33] + public[33:65])


def verify(public: bytes, message: bytes, signature: bytes, uid: bytes = b"1234567812345678") -> bool:
    assert public[0] == 4 and len(public) == 65
    point = (int.from_bytes(public[1:33], "big"), int.from_bytes(public[33:], "big"))
    assert (point[1] ** 2 - point[0] ** 3 - A * point[0] - B) % P == 0, "public key not on the curve"
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    if not (1 <= r < N and 1 <= s < N) or (r + s) % N == 0:
        return False
    e = int.from_bytes(sm3_bytes(z_value(public, uid) + message), "big")
    x1y1 = _add(_mul(s, G), _mul((r + s) % N, point))
    return x1y1 is not None and (e + x1y1[0]) % N == r
