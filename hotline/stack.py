"""Start, watch and stop the processes of the assistant: Rasa, the action server, the web page.

Used by `hotline run` (make run) and by the test suite, which starts one stack per session on
free ports. Each process gets its own process group so that stopping the stack stops everything
it started, and a log file under the stack's log folder.
"""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional
from urllib.parse import urlparse

import yaml

from bot.settings import PROJECT_ROOT, hotline_settings
from hotline.retention_cli import Retention

RASA_BIN = PROJECT_ROOT / ".venv-rasa" / "bin" / "rasa"
APP_PYTHON = PROJECT_ROOT / ".venv" / "bin" / "python"
DEFAULT_MODEL = PROJECT_ROOT / "models" / "hotline.tar.gz"


class StackError(RuntimeError):
    """A process of the stack failed to start or died."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


@dataclass
class Ports:
    rasa: int = 5005
    actions: int = 5055
    web: int = 8080
    wechat: int = 8090
    voice: int = 8091          # voice gateway: WebSocket and the /calls API
    audiosocket: int = 9092    # voice gateway: Asterisk AudioSocket
    staff: int = 8081          # the staff's server: seat console and staff API

    @classmethod
    def free(cls) -> "Ports":
        return cls(free_port(), free_port(), free_port(), free_port(), free_port(), free_port(), free_port())


REST_CHANNEL = "components.gateway_rest.GatewayRestInput"


def _secret(variable: str) -> str:
    return os.environ.get(variable) or secrets.token_urlsafe(32)


@dataclass
class Service:
    name: str
    argv: List[str]
    health_url: str
    startup_seconds: float
    process: Optional[subprocess.Popen] = None
    log_path: Optional[Path] = None


@dataclass
class Stack:
    ports: Ports = field(default_factory=Ports)
    model: Path = DEFAULT_MODEL
    run_dir: Path = PROJECT_ROOT / "var" / "run"
    env: Dict[str, str] = field(default_factory=dict)
    say: Callable[[str], None] = print
    services: List[Service] = field(default_factory=list)
    # Secrets shared by the stack's own processes and nobody else; each can be chosen in the
    # environment (replicas of one deployment must agree), else it is new for each start.
    #   rasa_token      Rasa's HTTP API (seat console, tests)           HOTLINE_RASA_TOKEN
    #   channel_secret  Rasa's REST channel (voice and WeChat gateways)  HOTLINE_CHANNEL_SECRET
    #   socket_key      JWT key of Rasa's socket.io (the web proxy)       HOTLINE_SOCKET_KEY
    #   web_secret      signs web chat session cookies                   HOTLINE_WEB_SECRET
    #   gateway_secret  seat console -> WeChat gateway relay              HOTLINE_GATEWAY_SECRET
    #   voice_secret    the telephone side (PBX) -> voice gateway          HOTLINE_VOICE_SECRET
    rasa_token: str = field(default_factory=lambda: _secret("HOTLINE_RASA_TOKEN"))
    channel_secret: str = field(default_factory=lambda: _secret("HOTLINE_CHANNEL_SECRET"))
    socket_key: str = field(default_factory=lambda: _secret("HOTLINE_SOCKET_KEY"))
    web_secret: str = field(default_factory=lambda: _secret("HOTLINE_WEB_SECRET"))
    gateway_secret: str = field(default_factory=lambda: _secret("HOTLINE_GATEWAY_SECRET"))
    voice_secret: str = field(default_factory=lambda: _secret("HOTLINE_VOICE_SECRET"))

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.rasa}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.web}/"

    @property
    def staff_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.staff}/"

    def _endpoints_file(self) -> Path:
        """endpoints.yml with the action server's port of this stack and, when Redis is configured,
        Redis tracker and lock stores so that several Rasa instances can serve one conversation."""
        with open(PROJECT_ROOT / "endpoints.yml", encoding="utf-8") as handle:
            endpoints = yaml.safe_load(handle) or {}
        endpoints["action_endpoint"] = {"url": f"http://127.0.0.1:{self.ports.actions}/webhook"}
        redis_url = self.env.get("HOTLINE_REDIS_URL", os.environ.get("HOTLINE_REDIS_URL")) or hotline_settings().redis_url
        if redis_url:
            endpoints.update(redis_stores(redis_url))
        path = self.run_dir / "endpoints.yml"
        path.write_text(yaml.safe_dump(endpoints, allow_unicode=True), encoding="utf-8")
        return path

    def service_log_key(self) -> str:
        """The key of the citizens' digests in the service records (bot/office/service_log.py). It
        must outlive a restart, or one citizen counts as two across it: from the environment, else
        made once for this machine in var/ (never committed), like the local staff tokens."""
        configured = self.env.get("HOTLINE_SERVICE_LOG_KEY") or os.environ.get("HOTLINE_SERVICE_LOG_KEY")
        if configured:
            return configured
        path = self.run_dir.parent / "service_log.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(32), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()

    def local_staff_tokens(self) -> Optional[Path]:
        """With no staff tokens configured, `make run` makes a local file (var/, never committed)
        with a seat token and a hotline-office token, so a newcomer can open the seat console and
        the office's side of the staff portal; production configures its own. A file made before
        the office role existed gets its office token added."""
        if any(k in os.environ or k in self.env for k in ("HOTLINE_STAFF_TOKENS", "HOTLINE_STAFF_TOKENS_FILE")):
            return None
        path = self.run_dir.parent / "staff_tokens.yml"   # var/staff_tokens.yml for make run
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        if text and not text.startswith("# Made by `make run`"):
            return path     # someone's own file: left as it is
        staff = (yaml.safe_load(text) or {}).get("staff") or [_local_member("本机坐席", "seat")]
        if not any(member.get("role") == "office" for member in staff):
            staff.append(_local_member("本机热线办", "office"))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_LOCAL_TOKENS_HEADER + yaml.safe_dump({"staff": staff}, allow_unicode=True),
                            encoding="utf-8")
            path.chmod(0o600)
        return path

    def _environment(self) -> Dict[str, str]:
        env = dict(os.environ)
        env.update({
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "PYTHONPATH": str(PROJECT_ROOT),
            "HOTLINE_RASA_URL": self.rasa_url,
            "SANIC_HOST": "127.0.0.1",
            "HOTLINE_WARM_UP": "1",
            # The web page's 语音 button, and the voice gateway accepting that page's origin.
            "HOTLINE_VOICE_URL": f"ws://127.0.0.1:{self.ports.voice}",
            "VOICE_ALLOWED_ORIGINS": f"http://127.0.0.1:{self.ports.web},http://localhost:{self.ports.web}",
            # The seat console (web) sends seat messages to WeChat users through the gateway.
            "HOTLINE_WECHAT_GATEWAY_URL": f"http://127.0.0.1:{self.ports.wechat}",
            "HOTLINE_GATEWAY_SECRET": self.gateway_secret,
            "HOTLINE_SERVICE_LOG_KEY": self.service_log_key(),
        })
        env.update(self.env)
        # The secrets Rasa was started with, whatever self.env says.
        env.update(self.secrets())
        tokens = self.local_staff_tokens()
        if tokens:
            env["HOTLINE_STAFF_TOKENS_FILE"] = str(tokens)
        return env

    def secrets(self) -> Dict[str, str]:
        return {"HOTLINE_RASA_TOKEN": self.rasa_token, "HOTLINE_CHANNEL_SECRET": self.channel_secret,
                "HOTLINE_SOCKET_KEY": self.socket_key, "HOTLINE_WEB_SECRET": self.web_secret,
                "HOTLINE_VOICE_SECRET": self.voice_secret}

    def _credentials_file(self) -> Path:
        """credentials.yml with this run's channel secrets (readable by this user only)."""
        with open(PROJECT_ROOT / "credentials.yml", encoding="utf-8") as handle:
            credentials = yaml.safe_load(handle) or {}
        credentials[REST_CHANNEL] = {"secret": self.channel_secret}
        credentials["socketio"] = dict(credentials.get("socketio") or {}, jwt_key=self.socket_key, jwt_method="HS256")
        path = self.run_dir / "credentials.yml"
        path.touch(mode=0o600)
        path.chmod(0o600)
        path.write_text(yaml.safe_dump(credentials, allow_unicode=True), encoding="utf-8")
        return path

    def _plan(self) -> List[Service]:
        if not self.model.exists():
            raise StackError(f"没有找到训练好的模型 {self.model}，请先运行 make train")
        rasa = [str(RASA_BIN), "run", "--enable-api", "--auth-token", self.rasa_token,
                "-i", "127.0.0.1", "-p", str(self.ports.rasa),
                "--model", str(self.model), "--credentials", str(self._credentials_file()),
                "--endpoints", str(self._endpoints_file())]
        # rasa_sdk has no bind option; it reads SANIC_HOST (set in _environment).
        actions = [str(APP_PYTHON), "-m", "rasa_sdk", "--actions", "actions", "-p", str(self.ports.actions)]
        web = [str(APP_PYTHON), "-m", "channels.web", "--host", "127.0.0.1", "--port", str(self.ports.web)]
        staff = [str(APP_PYTHON), "-m", "channels.staff", "--host", "127.0.0.1", "--port", str(self.ports.staff)]
        services = [
            Service("actions", actions, f"http://127.0.0.1:{self.ports.actions}/health", 60),
            Service("rasa", rasa, f"{self.rasa_url}/", 240),
            Service("web", web, f"http://127.0.0.1:{self.ports.web}/healthz", 30),
            Service("staff", staff, f"http://127.0.0.1:{self.ports.staff}/healthz", 30),
        ]
        voice = [str(APP_PYTHON), "-m", "channels.voice", "--host", "127.0.0.1", "--ws-port", str(self.ports.voice),
                 "--audiosocket-port", str(self.ports.audiosocket), "--rasa-url", self.rasa_url]
        # The first start joins the packaged whisper model (a few seconds), then loads it and caches prompts.
        services.append(Service("voice", voice, f"http://127.0.0.1:{self.ports.voice}/healthz", 120))
        if self.wechat_enabled:
            wechat = [str(APP_PYTHON), "-m", "channels.wechat", "--host", "127.0.0.1", "--port", str(self.ports.wechat)]
            services.append(Service("wechat", wechat, f"http://127.0.0.1:{self.ports.wechat}/healthz", 30))
        return services

    @property
    def wechat_enabled(self) -> bool:
        """The WeChat gateway needs the official account's token to check signatures."""
        return bool(self.env.get("WECHAT_TOKEN", os.environ.get("WECHAT_TOKEN")))

    def start(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        ports = ([self.ports.rasa, self.ports.actions, self.ports.web, self.ports.staff, self.ports.voice,
                  self.ports.audiosocket] + ([self.ports.wechat] if self.wechat_enabled else []))
        taken = [p for p in ports if port_in_use(p)]
        if taken:
            raise StackError(f"端口已被占用：{', '.join(map(str, taken))}。是否已有一个助手在运行？")
        self.services = self._plan()
        env = self._environment()
        # Whoever starts the stack (make run, tests, benchmarks, the simulator) talks to Rasa as
        # the stack's own processes do, with the same secrets.
        os.environ.update(self.secrets())
        hotline_settings.cache_clear()
        for service in self.services:
            self._spawn(service, env)
        try:
            for service in self.services:
                self._wait_healthy(service)
        except BaseException:
            self.stop()
            raise

    def _spawn(self, service: Service, env: Dict[str, str]) -> None:
        service.log_path = self.run_dir / f"{service.name}.log"
        log = open(service.log_path, "wb")
        self.say(f"启动 {service.name} …（日志：{service.log_path}）")
        service.process = subprocess.Popen(service.argv, cwd=PROJECT_ROOT, env=env, stdout=log,
                                           stderr=subprocess.STDOUT, start_new_session=True)
        log.close()

    def _wait_healthy(self, service: Service) -> None:
        deadline = time.monotonic() + service.startup_seconds
        while time.monotonic() < deadline:
            if service.process.poll() is not None:
                raise StackError(f"{service.name} 启动失败（退出码 {service.process.returncode}）：\n{self.log_tail(service)}")
            try:
                with urllib.request.urlopen(service.health_url, timeout=2):
                    self.say(f"{service.name} 已就绪")
                    return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.5)
        raise StackError(f"{service.name} 在 {service.startup_seconds:.0f} 秒内没有就绪：\n{self.log_tail(service)}")

    @staticmethod
    def log_tail(service: Service, lines: int = 30) -> str:
        if not service.log_path or not service.log_path.exists():
            return ""
        return "\n".join(service.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def dead(self) -> List[Service]:
        return [s for s in self.services if s.process and s.process.poll() is not None]

    def stop(self, grace_seconds: float = 10) -> None:
        running = [s for s in self.services if s.process and s.process.poll() is None]
        for service in running:
            _signal_group(service.process, signal.SIGTERM)
        deadline = time.monotonic() + grace_seconds
        for service in running:
            try:
                service.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(service.process, signal.SIGKILL)
                service.process.wait()

    def pids(self) -> Dict[str, int]:
        return {s.name: s.process.pid for s in self.services if s.process}


def redis_stores(redis_url: str) -> Dict[str, dict]:
    """Rasa's Redis tracker store and lock store settings from a redis:// URL."""
    parsed = urlparse(redis_url)
    common = {"type": "redis", "url": parsed.hostname or "127.0.0.1", "port": parsed.port or 6379,
              "db": int((parsed.path or "/0").lstrip("/") or 0)}
    if parsed.password:
        common["password"] = parsed.password
    # Conversations expire in Redis after settings/retention.yml conversations_days.
    record_exp = Retention.load().conversations_days * 24 * 3600
    return {"tracker_store": dict(common, key_prefix="hotline", record_exp=record_exp),
            "lock_store": dict(common, key_prefix="hotline")}


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


_LOCAL_TOKENS_HEADER = "# Made by `make run` for this machine only. Delete it to get new tokens.\n"


def _local_member(name: str, role: str) -> Dict[str, str]:
    return {"name": name, "role": role, "token": secrets.token_urlsafe(24)}


def _announce(stack: Stack) -> None:
    stack.say("")
    stack.say(f"12345 热线助手已启动。网页聊天：{stack.web_url}")
    stack.say(f"语音网关：ws://127.0.0.1:{stack.ports.voice}/ （Asterisk AudioSocket：127.0.0.1:{stack.ports.audiosocket}）")
    stack.say(f"热线工作门户：{stack.staff_url}portal   人工坐席工作台：{stack.staff_url}seats   "
              f"员工接口：{stack.staff_url}api/openapi.json（员工用，勿对公众开放）")
    tokens = stack.local_staff_tokens()
    if tokens:
        stack.say(f"本机坐席和热线办的登录令牌在 {tokens}（未配置 HOTLINE_STAFF_TOKENS_FILE 时自动生成）")
    stack.say(f"Rasa HTTP API：{stack.rasa_url}  动作服务器：http://127.0.0.1:{stack.ports.actions}")
    if stack.wechat_enabled:
        stack.say(f"微信公众号网关：http://127.0.0.1:{stack.ports.wechat}/wechat")
    else:
        stack.say("微信公众号网关未启动：请设置 WECHAT_TOKEN 等环境变量（见 README）。")
    stack.say("按 Ctrl-C 停止。")


def _say_quietly(stack: Stack, text: str) -> None:
    """Ctrl-C in a pipeline (make run | tee) may have closed stdout already: stopping comes first."""
    try:
        stack.say(text)
    except OSError:
        pass


def run_forever(stack: Stack) -> int:
    """Start the stack, print where to go, and stop everything on Ctrl-C, SIGTERM, SIGHUP or a
    dead child. The children run in their own sessions, so nothing stops them but this."""
    def _terminate(signum, _frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    code = 0
    try:
        stack.start()
        _announce(stack)
        while True:
            dead = stack.dead()
            if dead:
                raise StackError(f"{dead[0].name} 意外退出：\n{stack.log_tail(dead[0])}")
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    except StackError as exc:
        try:
            print(f"错误：{exc}", file=sys.stderr)
        except OSError:
            pass
        code = 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)   # a second Ctrl-C must not cut the stop short
        _say_quietly(stack, "\n正在停止 …")
        stack.stop()
        _say_quietly(stack, "已停止。")
    return code
