# Bankdesk. The two commands a new user needs:
#   make run    install what is missing, build, and open the app against the built-in sandbox
#   make test   every test: Go, frontend, end to end
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO      ?= go
NPM     ?= npm
BIN     := build/bin/bankdesk
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Building the window needs GTK and WebKitGTK 4.1; tests also need a virtual
# display, a session bus, a keyring daemon, chromium and imagemagick, and
# systemd for systemd-analyze (the background job's units are verified);
# the freedesktop.org tools that check the desktop entries Bankdesk writes.
APT_BUILD := build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev
APT_TEST  := xvfb xauth dbus dbus-x11 imagemagick xdotool chromium gnome-keyring libsecret-tools sqlite3 python3 desktop-file-utils libglib2.0-bin systemd
NPM_INSTALL := $(if $(CI),ci,install) --no-audit --no-fund
# Headless WebKit in a VM without a GPU renders blank without these.
export WEBKIT_DISABLE_COMPOSITING_MODE := 1
export WEBKIT_DISABLE_DMABUF_RENDERER := 1

.PHONY: help run build bindings deps deps-test tools frontend-deps lint go-test faults keyring-test frontend-test e2e test bench screenshots clean

help:
	@echo "make run    install what is missing, build, open Bankdesk (built-in sandbox)"
	@echo "make test   run every test (Go, frontend, end to end)"
	@echo "make bench  run the benchmarks recorded in BENCHMARKS.md"

## Prerequisites ------------------------------------------------------------

tools:
	@command -v $(GO) >/dev/null || { echo "Go 1.26+ is required: https://go.dev/dl/"; exit 1; }
	@command -v node >/dev/null && command -v $(NPM) >/dev/null || { echo "Node.js 20.19+ and npm are required"; exit 1; }
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a==20&&b>=19)?0:1)' \
	  || { echo "Node.js 20.19+ is required (found $$(node --version))"; exit 1; }

# apt_install installs the Debian packages in $(1) that are not installed yet.
define apt_install
	@if ! command -v dpkg >/dev/null; then echo "not a Debian/Ubuntu system: install the equivalent of: $(1)"; \
	else missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	    $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; fi; fi
endef

deps: tools
	$(call apt_install,$(APT_BUILD))
	@$(MAKE) --no-print-directory frontend-deps

deps-test: deps
	$(call apt_install,$(APT_TEST))

frontend-deps: frontend/node_modules/.installed
frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && $(NPM) $(NPM_INSTALL)
	@touch $@

## Build and run -------------------------------------------------------------

# wails build runs the frontend build, regenerates the JS bindings and links
# the Go binary with the desktop tags from wails.json (webkit2_41).
build: deps
	$(GO) tool wails build -m -nosyncgomod -trimpath -ldflags "-X bankdesk/backend/cli.Version=$$(git describe --always --dirty 2>/dev/null || echo dev)"
	@echo "built $(BIN)"

run: build
	./$(BIN)

## Tests ---------------------------------------------------------------------

# golangci-lint (staticcheck, errcheck, govet, ineffassign, unused, gofmt;
# see .golangci.yml), pinned in its own module so that its dependencies never
# change the app's go.mod. `go tool` downloads and builds it on first use.
# It runs twice: with the tags of `go test` and with those `wails build` uses
# for the window (its cgo files need GTK and WebKitGTK 4.1 installed).
LINT := $(GO) tool -modfile=tools/lint/go.mod golangci-lint
lint:
	$(call apt_install,$(APT_BUILD))
	$(LINT) run ./...
	$(LINT) run --build-tags desktop,production,webkit2_41 ./...

# Packages whose code runs goroutines, locks or timers are tested under the
# race detector instead of a plain run (same tests, one run each). The
# command line package runs plain: its tests drive built binaries, and the
# packages it calls are raced here already. -race needs cgo and a C compiler.
RACE_PKGS = $(shell $(GO) list ./... | grep -v '^bankdesk/backend/cli$$')
go-test: lint
	$(call apt_install,build-essential)
	$(GO) vet ./...
	CGO_ENABLED=1 $(GO) test -race -count=1 $(RACE_PKGS)
	$(GO) test -count=1 ./backend/cli/

# The vault against a real Secret Service: gnome-keyring unlocked on a
# private session bus (collection "login", as on a desktop).
# A throwaway XDG_DATA_HOME gives a fresh "login" keyring each run.
keyring-test: deps-test
	tmp=$$(mktemp -d) && XDG_DATA_HOME=$$tmp dbus-run-session -- sh -c \
	  'printf "ci-keyring-pw" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && \
	   BANKDESK_TEST_SECRET_SERVICE=1 $(GO) test -count=1 -v -run SecretService ./backend/vault/'; \
	  rc=$$?; rm -rf "$$tmp"; exit $$rc

# The fault-injection suite (backend/cli/faults_test.go): page writes, byte
# flips, truncation, deleted buckets and files, concurrent first runs, and
# kills during sync, export and change-passphrase, each followed by what the
# user is told to do. It prints a tally per class; FAULTS=n scales it.
FAULTS ?= 1
faults: deps-test
	@out=$$(mktemp); rc=0; \
	  BANKDESK_FAULTS=$(FAULTS) $(GO) test -count=1 -v -run '^TestFaultInjection$$' ./backend/cli/ >$$out 2>&1 || rc=$$?; \
	  grep -E '^faults:|^\s+faults_test|^(--- |ok|FAIL|panic)' $$out || cat $$out; rm -f $$out; exit $$rc

# The frontend's bindings and models (frontend/wailsjs) are generated from
# the Go types (package backend/view), not kept in git; wails build and
# wails dev regenerate them too.
bindings: deps
	$(GO) tool wails generate module -tags webkit2_41 >/dev/null

frontend-test: frontend-deps bindings
	cd frontend && $(NPM) run check && $(NPM) test

# End-to-end tests drive the real binary and Debian's chromium headless, under
# a private session bus and a virtual display.
e2e: build deps-test
	dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" node --test --test-concurrency=1 frontend/e2e/

test: deps-test go-test faults keyring-test frontend-test e2e

# Pictures of each main screen for docs/, from the app under wails dev.
screenshots: build deps-test
	BANKDESK_SCREENSHOTS=$(CURDIR)/docs dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" node --test frontend/e2e/dev-connect.test.mjs
	BANKDESK_SCREENSHOTS=$(CURDIR)/docs/screens dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" node --test frontend/e2e/a11y.test.mjs

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./backend/...

clean:
	rm -rf build/bin frontend/dist/assets frontend/dist/index.html
