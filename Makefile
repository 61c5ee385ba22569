# 12345 hotline assistant. `make run` and `make test` set up whatever is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

ROOT        := $(CURDIR)
RASA_VENV   := .venv-rasa
APP_VENV    := .venv
MODEL       := models/hotline.tar.gz
KB_MANIFEST := kb_embeddings/manifest.json
ROUTER      := models/routing/.built
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONPATH := $(ROOT)

# Rasa 3.6 supports Python up to 3.10; the rest of the project runs on 3.11. An interpreter counts
# only if it really runs (a pyenv shim of a version that is not selected does not).
find_python = $(shell for p in $$HOME/.pyenv/versions/$(1).*/bin/python$(1) $$(command -v python$(1)) $$(command -v python3); do \
  [ -x "$$p" ] && "$$p" -c 'import sys; sys.exit(sys.version_info[:2] != tuple(map(int, "$(1)".split("."))))' 2>/dev/null \
  && { echo "$$p"; break; }; done)
PYTHON310 ?= $(call find_python,3.10)
PYTHON311 ?= $(call find_python,3.11)

# components/gateway_rest.py is a channel Rasa loads at run time, not part of the model.
TRAINING_INPUTS := config.yml domain.yml $(shell find nlu_data components bot/screening \( -name '*.yml' -o -name '*.py' \) -not -name gateway_rest.py -not -name __init__.py 2>/dev/null)
KB_INPUTS       := $(shell find knowledge settings/knowledge.yml bot/knowledge -name '*.yml' -o -name '*.py' 2>/dev/null)
ROUTER_INPUTS   := settings/departments.yml settings/divisions.csv settings/places.csv $(wildcard bot/routing/data/*.yml)

.PHONY: help setup run test train kb eval bench lock validate run-deps test-deps clean

help:
	@echo "make run    set up, train, build the knowledge base and start the assistant (http://127.0.0.1:8080/)"
	@echo "make test   set up and run every test"
	@echo "make eval   NLU and knowledge-base accuracy on held-out sets"
	@echo "make bench  latency and memory figures"
	@echo "make lock   re-pin requirements/*.lock from requirements/*.txt"

setup: $(RASA_VENV)/.installed $(APP_VENV)/.installed channels/web/node_modules/.installed

$(RASA_VENV)/.installed: requirements/rasa.lock pyproject.toml
	@test -n "$(PYTHON310)" || { echo "需要 Python 3.10（Rasa 3.6 不支持更新的版本）。请安装 python3.10，或用 pyenv install 3.10.13。"; exit 1; }
	@echo "== 创建 Rasa 环境 $(RASA_VENV)（Python 3.10，约 2–3 分钟）"
	$(PYTHON310) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install -q --disable-pip-version-check --no-deps -r requirements/rasa.lock
	$(RASA_VENV)/bin/pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(RASA_VENV)/bin/pip check
	touch $@

$(APP_VENV)/.installed: requirements/app.lock pyproject.toml
	@test -n "$(PYTHON311)" || { echo "需要 Python 3.11。请安装 python3.11。"; exit 1; }
	@echo "== 创建应用环境 $(APP_VENV)（Python 3.11）"
	$(PYTHON311) -m venv $(APP_VENV)
	$(APP_VENV)/bin/pip install -q --disable-pip-version-check --no-deps -r requirements/app.lock
	$(APP_VENV)/bin/pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(APP_VENV)/bin/pip check
	touch $@

channels/web/node_modules/.installed: channels/web/package-lock.json
	@command -v npm >/dev/null || { echo "需要 Node.js 和 npm（网页聊天的 socket.io 客户端）。请安装 nodejs 和 npm。"; exit 1; }
	cd channels/web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Re-pin: fresh environments from the top-level requirements, then freeze them.
lock:
	rm -rf /tmp/hotline-lock && mkdir -p /tmp/hotline-lock
	$(PYTHON310) -m venv /tmp/hotline-lock/rasa && /tmp/hotline-lock/rasa/bin/pip install -q -r requirements/rasa.txt
	/tmp/hotline-lock/rasa/bin/pip freeze --all --exclude-editable | sed '/^-e /d' > requirements/rasa.lock
	$(PYTHON311) -m venv /tmp/hotline-lock/app && /tmp/hotline-lock/app/bin/pip install -q -r requirements/app.txt
	/tmp/hotline-lock/app/bin/pip freeze --all --exclude-editable | sed '/^-e /d' > requirements/app.lock

$(MODEL): $(RASA_VENV)/.installed $(TRAINING_INPUTS)
	@echo "== 训练 NLU 和对话模型（约 5–10 分钟）"
	$(RASA_VENV)/bin/rasa train --data nlu_data --domain domain.yml --config config.yml \
	  --out models --fixed-model-name hotline
	touch $@

train: $(MODEL)

$(KB_MANIFEST): $(APP_VENV)/.installed $(KB_INPUTS)
	@echo "== 构建知识库索引"
	$(APP_VENV)/bin/hotline kb build

$(ROUTER): $(APP_VENV)/.installed $(ROUTER_INPUTS)
	@echo "== 构建派单模型（部门目录和训练诉求的句向量）"
	$(APP_VENV)/bin/hotline route --build
	@touch $@

kb: $(KB_MANIFEST) $(ROUTER)

validate: $(RASA_VENV)/.installed
	$(RASA_VENV)/bin/rasa data validate --data nlu_data --domain domain.yml --config config.yml

run: setup train kb run-deps
	$(APP_VENV)/bin/hotline run

# System packages the running assistant needs: espeak-ng for the voice gateway's speech.
run-deps:
	@bash tests/support/ensure_system_packages.sh run

# System packages the tests drive: Chromium for the browser test, PostgreSQL when no server runs.
test-deps:
	@bash tests/support/ensure_system_packages.sh

test: setup train kb test-deps
	$(APP_VENV)/bin/python -m pytest -q -p no:cacheprovider

eval: setup train kb
	$(RASA_VENV)/bin/python eval/nlu_eval.py
	$(APP_VENV)/bin/python eval/kb_eval.py
	$(APP_VENV)/bin/python eval/routing_eval.py
	$(APP_VENV)/bin/python eval/opening_facts_eval.py
	$(APP_VENV)/bin/python eval/simulate.py
	$(APP_VENV)/bin/python eval/simulate.py --pools eval/simulation_fresh --out reports/simulation_fresh.json
	$(APP_VENV)/bin/python eval/hotspots_eval.py --seeds 2 3

bench: setup train kb
	$(APP_VENV)/bin/python benchmarks/dialogue_bench.py
	$(APP_VENV)/bin/python benchmarks/kb_bench.py
	$(APP_VENV)/bin/python benchmarks/routing_bench.py
	$(APP_VENV)/bin/python benchmarks/voice_bench.py
	$(APP_VENV)/bin/python benchmarks/wechat_bench.py
	$(APP_VENV)/bin/python benchmarks/seats_bench.py

clean:
	rm -rf models var/run reports
