#!/usr/bin/env bash
# Installs the system packages the assistant and its tests need, only when they are missing:
#  - espeak-ng for the voice gateway's speech synthesis (also for `make run`);
#  - Chromium, ChromeDriver and a Chinese font for the web chat test (Debian packages; no browser download);
#  - PostgreSQL server binaries when no server answers on 127.0.0.1:5432 (the tests then start a
#    private server on a free port in a temporary folder, and remove it afterwards).
set -euo pipefail

# `ensure_system_packages.sh run` checks only what the running assistant needs (espeak-ng);
# without an argument, also what the tests drive.
missing=()
# espeak-ng: the voice gateway's speech synthesis (pyttsx3 drives libespeak-ng; voice sit/cmn-latn-pinyin).
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
if [ "${1:-test}" = "test" ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
  # A Chinese font, so that screenshots of the chat page show characters rather than boxes.
  dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || missing+=(fonts-wqy-microhei)
  if ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    missing+=(postgresql)
  fi
  # Redis for state shared between gateway processes: a running server is used, otherwise the tests
  # start redis-server on a free port.
  if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && ! command -v redis-server >/dev/null 2>&1; then
    missing+=(redis-server)
  fi
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
  echo "需要这些系统软件包：${missing[*]}。请用 apt-get install ${missing[*]} 安装后重试。" >&2
  exit 1
fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "== 安装所需的系统软件包：${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
