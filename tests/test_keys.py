"""API keys: stored as hashes only, mode 0600, atomic writes, roles, the CLI lifecycle."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.keys import (
    KeyRing,
    KeysFileError,
    Role,
    add_key,
    read_keys,
    revoke_key,
)
from triage_cli.main import app


def test_add_stores_only_the_hash_with_mode_0640(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "keys.json"
    key = add_key(path, "desk-1", "handler")
    text = path.read_text()
    assert key not in text
    assert hashlib.sha256(key.encode()).hexdigest() in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    data = json.loads(text)
    assert data["keys"][0]["name"] == "desk-1"
    assert data["keys"][0]["role"] == "handler"
    assert len(key) >= 40  # token_urlsafe(32)
    # No temp file left behind: only the keys file and its (empty) lock file.
    assert sorted(tmp_path.joinpath("sub").iterdir()) == [path, path.with_name("keys.json.lock")]


def test_keyring_authenticates_by_hash_and_roles(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    h = add_key(path, "desk-1", Role.HANDLER)
    a = add_key(path, "boss", Role.ADMIN)
    ring = KeyRing(path)
    p = ring.authenticate(h)
    assert p is not None and p.name == "desk-1" and p.role is Role.HANDLER
    p = ring.authenticate(a)
    assert p is not None and p.role is Role.ADMIN
    assert ring.authenticate("not-a-key") is None
    assert ring.authenticate(h[:-1]) is None


def test_keyring_sees_a_revoke_without_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "keys.json"
    key = add_key(path, "desk-1", "handler")
    ring = KeyRing(path)
    assert ring.authenticate(key) is not None
    revoke_key(path, "desk-1")
    monkeypatch.setattr("service.keys.RECHECK_SECONDS", 0.0)
    assert ring.authenticate(key) is None


@pytest.mark.parametrize(
    ("name", "role", "match"),
    [
        ("bad name", "handler", "not allowed"),
        ("", "handler", "not allowed"),
        ("x" * 65, "handler", "not allowed"),
        ("desk-2", "superuser", "Role 'superuser' is not one of"),
    ],
)
def test_add_rejects_bad_names_and_roles(tmp_path: Path, name: str, role: str, match: str) -> None:
    with pytest.raises(KeysFileError, match=match):
        add_key(tmp_path / "keys.json", name, role)


def test_duplicate_and_unknown_names(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    add_key(path, "desk-1", "handler")
    with pytest.raises(KeysFileError, match="already exists"):
        add_key(path, "desk-1", "admin")
    with pytest.raises(KeysFileError, match="No key named 'nobody'"):
        revoke_key(path, "nobody")


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("{not json", "not valid JSON"),
        ('{"keys": {}}', "must be an object with a 'keys' list"),
        ('{"keys": [{"name": "a", "role": "root", "sha256": "x"}]}', "Entry 0"),
    ],
)
def test_broken_keys_file_is_named(tmp_path: Path, content: str, match: str) -> None:
    path = tmp_path / "keys.json"
    path.write_text(content)
    with pytest.raises(KeysFileError, match=match):
        read_keys(path)


def test_cli_key_lifecycle(tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "keys.json"
    res = runner.invoke(
        app, ["keys", "add", "desk-9", "--role", "analyst", "--keys-file", str(path)]
    )
    assert res.exit_code == 0, res.output
    key = res.stdout.strip().splitlines()[-1]
    assert KeyRing(path).authenticate(key) is not None
    stored = read_keys(path)[0]
    res = runner.invoke(app, ["keys", "list", "--keys-file", str(path)])
    assert res.exit_code == 0
    assert "desk-9" in res.stdout and "analyst" in res.stdout
    assert stored.sha256 not in res.stdout and key not in res.stdout
    res = runner.invoke(app, ["keys", "revoke", "desk-9", "--keys-file", str(path)])
    assert res.exit_code == 0
    assert read_keys(path) == []
    res = runner.invoke(app, ["keys", "revoke", "desk-9", "--keys-file", str(path)])
    assert res.exit_code == 1
    assert "No key named 'desk-9'" in res.output
    assert "Traceback" not in res.output
    res = runner.invoke(app, ["keys", "add", "x", "--role", "god", "--keys-file", str(path)])
    assert res.exit_code == 2



def test_concurrent_adds_and_revokes_lose_nothing(tmp_path: Path) -> None:
    """Read-modify-write of the keys file is serialised: keys added at once are all kept, and
    a revoke running beside them stays revoked."""
    import threading

    path = tmp_path / "keys.json"
    add_key(path, "to-revoke", "handler")
    errors: list[BaseException] = []

    def add_many(worker: int) -> None:
        try:
            for i in range(5):
                add_key(path, f"desk-{worker}-{i}", "handler")
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=add_many, args=(w,)) for w in range(8)]
    threads.append(threading.Thread(target=revoke_key, args=(path, "to-revoke")))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    names = {r.name for r in read_keys(path)}
    assert names == {f"desk-{w}-{i}" for w in range(8) for i in range(5)}
