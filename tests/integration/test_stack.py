"""The process supervisor's configuration (its processes are exercised by every conversation test)."""
import yaml

from hotline.stack import Ports, Stack, port_in_use, redis_stores


def test_endpoints_point_at_this_stacks_action_server(tmp_path):
    stack = Stack(ports=Ports(1, 2345, 3), run_dir=tmp_path, env={"HOTLINE_REDIS_URL": ""})
    endpoints = yaml.safe_load(stack._endpoints_file().read_text())
    assert endpoints["action_endpoint"]["url"] == "http://127.0.0.1:2345/webhook"
    assert "lock_store" not in endpoints


def test_redis_configuration_shares_trackers_and_locks_between_instances(tmp_path):
    stack = Stack(ports=Ports(1, 2, 3), run_dir=tmp_path, env={"HOTLINE_REDIS_URL": "redis://127.0.0.1:6390/3"})
    endpoints = yaml.safe_load(stack._endpoints_file().read_text())
    assert endpoints["lock_store"] == {"type": "redis", "url": "127.0.0.1", "port": 6390, "db": 3, "key_prefix": "hotline"}
    assert endpoints["tracker_store"]["type"] == "redis"


def test_redis_password_is_passed_on():
    assert redis_stores("redis://:secret@cache:6379/0")["lock_store"]["password"] == "secret"


def test_a_taken_port_is_reported_before_anything_starts(tmp_path):
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        assert port_in_use(port)
        stack = Stack(ports=Ports(port, 1, 2), run_dir=tmp_path)
        try:
            stack.start()
        except Exception as exc:  # noqa: BLE001
            assert "端口已被占用" in str(exc) and str(port) in str(exc)
        else:
            raise AssertionError("start() should refuse a taken port")
        assert stack.services == []


def test_without_configured_staff_tokens_local_seat_and_office_tokens_are_made_once(tmp_path, monkeypatch):
    monkeypatch.delenv("HOTLINE_STAFF_TOKENS", raising=False)
    monkeypatch.delenv("HOTLINE_STAFF_TOKENS_FILE", raising=False)
    stack = Stack(run_dir=tmp_path / "run")
    path = stack.local_staff_tokens()
    staff = yaml.safe_load(path.read_text())["staff"]
    assert [m["role"] for m in staff] == ["seat", "office"] and all(len(m["token"]) >= 20 for m in staff)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert stack.local_staff_tokens() == path and yaml.safe_load(path.read_text())["staff"] == staff
    monkeypatch.setenv("HOTLINE_STAFF_TOKENS_FILE", "/etc/hotline/tokens.yml")
    assert stack.local_staff_tokens() is None


def test_a_local_token_file_from_before_the_office_role_keeps_its_seat_and_gains_an_office(tmp_path, monkeypatch):
    monkeypatch.delenv("HOTLINE_STAFF_TOKENS", raising=False)
    monkeypatch.delenv("HOTLINE_STAFF_TOKENS_FILE", raising=False)
    stack = Stack(run_dir=tmp_path / "run")
    path = tmp_path / "staff_tokens.yml"
    seat = {"name": "本机坐席", "role": "seat", "token": "an-older-seat-token-0000001"}
    path.write_text("# Made by `make run` for this machine only. Delete it to get a new token.\n"
                    + yaml.safe_dump({"staff": [seat]}, allow_unicode=True), encoding="utf-8")
    staff = yaml.safe_load(stack.local_staff_tokens().read_text())["staff"]
    assert staff[0] == seat and staff[1]["role"] == "office"
    own = "staff:\n  - {name: 王芳, role: seat, token: my-own-token-000000000001}\n"
    path.write_text(own, encoding="utf-8")
    assert stack.local_staff_tokens() == path and path.read_text(encoding="utf-8") == own   # not ours: untouched


def test_the_service_log_key_outlives_a_restart_unless_one_is_configured(tmp_path, monkeypatch):
    monkeypatch.delenv("HOTLINE_SERVICE_LOG_KEY", raising=False)
    key = Stack(run_dir=tmp_path / "run").service_log_key()
    assert len(key) >= 32 and Stack(run_dir=tmp_path / "run").service_log_key() == key
    assert oct((tmp_path / "service_log.key").stat().st_mode & 0o777) == "0o600"
    monkeypatch.setenv("HOTLINE_SERVICE_LOG_KEY", "the-deployment's-own-key")
    assert Stack(run_dir=tmp_path / "run").service_log_key() == "the-deployment's-own-key"
