"""Who is calling: the server's users file, one access token per person.

History must say who approved a limit or released an order. A token shared by the whole team
cannot say it, and a name the request body claims proves nothing, so each user gets a token of
their own (``credit-register serve --add-user 王丽`` prints it once) and the server names the
token's owner in History.

The file keeps no token, only its SHA-256 (a token is 32 random URL-safe characters, so the hash
cannot be guessed back): one user per line, ``sha256:<64 hex digits> <name>``, ``#`` for comments.
Deleting a line revokes that token; the running server rereads the file when it changes.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

#: a token from ``add_user``: 24 random bytes, 32 URL-safe characters
TOKEN_BYTES = 24
MAX_NAME = 100
HEADER = (
    "# 客户资信管理 credit-register serve: 用户与令牌 (users and their access tokens)\n"
    "# One user per line: sha256:<SHA-256 of the token> <name>. The tokens themselves are not\n"
    "# kept. Add a user with `credit-register serve --add-user NAME`; delete a line to revoke.\n"
)
_LINE = re.compile(r"^sha256:([0-9a-f]{64})[ \t]+(\S.*?)\s*$")


class UsersFileError(ValueError):
    """The users file cannot be used; the message names the file and line."""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_name(name: str) -> str:
    """A user's name as History will show it: trimmed, 1–100 characters, printable, one line."""
    cleaned = name.strip()
    if not cleaned or len(cleaned) > MAX_NAME or not cleaned.isprintable():
        raise UsersFileError(
            f"用户名须为 1–{MAX_NAME} 个可打印字符 (a user name is 1–{MAX_NAME} printable "
            f"characters): {name!r}"
        )
    return cleaned


@dataclass(frozen=True)
class User:
    name: str
    digest: str


def read_users(path: Path) -> list[User]:
    """The users in ``path``; a line that is neither a user, a comment nor blank is an error
    naming its line (a typo must not silently lock a user out)."""
    users: list[User] = []
    names: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        found = _LINE.match(text)
        if found is None:
            raise UsersFileError(
                f"{path}:{number}: 应为 “sha256:<64 位十六进制> 姓名” "
                "(expected 'sha256:<64 hex digits> name')"
            )
        name = check_name(found.group(2))
        if name in names:
            raise UsersFileError(f"{path}:{number}: 用户重复 (duplicate user) {name}")
        names.add(name)
        users.append(User(name, found.group(1)))
    return users


def add_user(path: Path, name: str) -> str:
    """Give ``name`` a new token: its hash appended to ``path`` (made, readable by its owner
    only, when missing); the token is returned, to be handed to the user, and is kept nowhere."""
    name = check_name(name)
    existing = read_users(path) if path.exists() else []
    if any(user.name == name for user in existing):
        raise UsersFileError(
            f"{path}: 已有用户 {name}；如需新令牌，先用 --remove-user 删除 "
            f"(user {name} exists; to issue a new token, --remove-user it first)"
        )
    token = secrets.token_urlsafe(TOKEN_BYTES)
    line = f"sha256:{token_digest(token)} {name}\n"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(HEADER + line)
    else:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line)
    return token


def remove_user(path: Path, name: str) -> bool:
    """Revoke ``name``'s token (its line goes; comments and other users stay). False when the
    file has no such user."""
    if not path.exists():
        return False
    wanted = check_name(name)
    read_users(path)  # refuse to rewrite a file that has a broken line
    kept, removed = [], False
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        found = _LINE.match(line.strip())
        if found is not None and found.group(2) == wanted:
            removed = True
            continue
        kept.append(line)
    if removed:
        path.write_text("".join(kept), encoding="utf-8")
    return removed


class UserDirectory:
    """The users file as the running server sees it: reread when it changes, so a new user
    needs no restart and a deleted line revokes at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._users: list[User] = []

    def users(self) -> list[User]:
        """The current users; a file that became unreadable or broken leaves nobody in (no
        request is let through on a file the server cannot read)."""
        try:
            status = self.path.stat()
        except OSError:
            return []
        stamp = (status.st_mtime_ns, status.st_size)
        with self._lock:
            if stamp != self._stamp:
                try:
                    self._users = read_users(self.path)
                except (OSError, UnicodeDecodeError, UsersFileError):
                    self._users = []
                self._stamp = stamp
            return list(self._users)

    def identify(self, token: str | bytes) -> str | None:
        """The name of the user whose token this is, else ``None``; every entry is compared in
        constant time, so the answer's timing says nothing about the tokens."""
        if isinstance(token, bytes):
            try:
                token = token.decode("utf-8")
            except UnicodeDecodeError:
                return None
        if not token:
            return None
        given = token_digest(token).encode()
        found: str | None = None
        for user in self.users():
            if hmac.compare_digest(given, user.digest.encode()):
                found = user.name
        return found
