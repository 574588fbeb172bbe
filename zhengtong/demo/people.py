"""Deterministic fake identities: names, mobiles, resident ID numbers, credit codes, TOTP keys.

Pure functions over ``random.Random`` with fixed seeds — no database, no clock — so the
same call always yields the same people. Checksums come from python-stdnum (STANDARDS.md).
"""

from __future__ import annotations

import hashlib
import hmac
import random
from base64 import b32encode
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from stdnum.cn import ric, uscc

from zhengtong.demo import specs

# GB 11714 organisation code: 8 body characters weighted, check = 11 - sum % 11 (10 → X, 11 → 0).
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# Letters allowed in a credit code (no I, O, Z, S, V) are also valid organisation-code letters.
_ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    mobile: str
    birth_date: date
    gender: str  # "M" / "F", odd sequence digit = male


@dataclass(frozen=True)
class Company:
    name: str
    uscc: str
    address: str
    legal_rep: Person


def rng(topic: str) -> random.Random:
    """One independent stream per topic, so adding staff does not reshuffle the citizens."""
    return random.Random(f"{specs.SEED}:{topic}")


def person_name(r: random.Random, gender: str) -> str:
    given = specs.GIVEN_MALE if gender == "M" else specs.GIVEN_FEMALE
    return r.choice(specs.SURNAMES) + r.choice(given)


def mobile_numbers(r: random.Random, taken: set[str]) -> Iterator[str]:
    while True:
        number = r.choice(specs.MOBILE_PREFIXES) + f"{r.randrange(10**8):08d}"
        if number not in taken:
            taken.add(number)
            yield number


def id_number(body17: str) -> str:
    """Complete 17 digits with the ISO 7064 MOD 11-2 check character."""
    return body17 + ric.calc_check_digit(body17 + "0")


def _random_birth_date(r: random.Random) -> date:
    start = date(1950, 1, 1)
    end = date(specs.REFERENCE_YEAR - 20, 12, 31)  # adults only: they may register and represent firms
    return start + timedelta(days=r.randrange((end - start).days + 1))


def well_known_citizen() -> Person:
    spec = specs.WELL_KNOWN_CITIZEN
    number = id_number(spec["id_body"])
    return Person(spec["name"], number, spec["mobile"], ric.get_birth_date(number),
                  "M" if int(number[16]) % 2 else "F")


def citizens(count: int) -> list[Person]:
    """The well-known citizen first, then ``count - 1`` generated ones (a prefix of the full list)."""
    first = well_known_citizen()
    people = [first]
    r = rng("citizens")
    seen_ids, mobiles = {first.id_number}, {first.mobile}
    phones = mobile_numbers(r, mobiles)
    while len(people) < count:
        gender = "M" if r.random() < 0.5 else "F"
        born = _random_birth_date(r)
        sequence = r.randrange(500) * 2 + (1 if gender == "M" else 0)
        number = id_number(f"{r.choice(specs.BIRTH_PLACES)}{born:%Y%m%d}{sequence:03d}")
        name = person_name(r, gender)
        if number in seen_ids or not ric.is_valid(number):
            continue
        seen_ids.add(number)
        people.append(Person(name, number, next(phones), born, gender))
    return people


def org_code(body8: str) -> str:
    """A GB 11714 organisation code: 8 characters plus their check character."""
    total = sum(w * int(c, 36) for w, c in zip(_ORG_WEIGHTS, body8, strict=True))  # A = 10 … Z = 35
    check = 11 - total % 11
    return body8 + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(head8: str, org_body8: str) -> str:
    """A unified social credit code: authority + category + division, org code, check character."""
    body = head8 + org_code(org_body8)
    return body + uscc.calc_check_digit(body + "0")


def companies(count: int, people: list[Person]) -> list[Company]:
    """The well-known enterprise first; legal representatives are drawn from ``people``."""
    spec = specs.WELL_KNOWN_ENTERPRISE
    result = [Company(spec["name"], credit_code(spec["head"], spec["org_body"]), spec["address"], people[0])]
    r = rng("enterprises")
    seen_codes, seen_names = {result[0].uscc}, {result[0].name}
    while len(result) < count:
        division, place = r.choice(specs.ENTERPRISE_PLACES)
        name = f"{place}{r.choice(specs.TRADE_NAMES)}{r.choice(specs.INDUSTRIES)}{r.choice(specs.FORMS)}"
        tail = "".join(r.choice(_ORG_ALPHABET) for _ in range(5))
        code = credit_code(f"91{division}", f"MA3{tail}")
        address = f"{place}{r.choice(specs.ROADS)} {r.randrange(1, 400)} 号"
        rep = r.choice(people)
        if code in seen_codes or name in seen_names:
            continue
        seen_codes.add(code)
        seen_names.add(name)
        result.append(Company(name, code, address, rep))
    return result


def staff_roster() -> list[specs.StaffSpec]:
    """The well-known staff, then the generated ones numbered per role (clerk02, clerk03, …)."""
    roster = list(specs.WELL_KNOWN_STAFF)
    taken = {spec.role for spec in roster}
    counters = {role: (2 if role in taken else 1) for role in specs.USERNAME_PREFIX}
    r = rng("staff")
    for dept, role, scope, count, title in specs.STAFF_PLAN:
        for _ in range(count):
            username = f"{specs.USERNAME_PREFIX[role]}{counters[role]:02d}"
            counters[role] += 1
            name = person_name(r, "M" if r.random() < 0.5 else "F")
            roster.append(specs.StaffSpec(username, name, dept, role, scope, title))
    return roster


def totp_key(username: str) -> str:
    """The staff member's TOTP key (40 hex digits = 160 bits), derived from the username."""
    return hmac.new(specs.TOTP_SALT, username.encode(), hashlib.sha1).hexdigest()


def totp_secret(username: str) -> str:
    """The same key in Base32, as typed into an authenticator app."""
    return b32encode(bytes.fromhex(totp_key(username))).decode().rstrip("=")
