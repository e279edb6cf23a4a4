# Orrery: `make run` starts the desktop, `make test` checks everything. Both set up what is missing first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Debian packages: build headers for pycairo/xkbcommon, and the real clients the tests drive.
APT_PACKAGES := libcairo2-dev pkg-config libxkbcommon-dev libffi-dev python3-dev \
	weston foot kitty qtwayland5 qtbase5-examples wtype wl-clipboard wayland-utils xvfb xdotool x11-apps imagemagick \
	xwayland xterm x11-utils xclip \
	gtk-3-examples gtk-4-examples dbus dbus-x11 xcursor-themes adwaita-icon-theme \
	libgl1-mesa-dri libglu1-mesa fonts-dejavu-core \
	wlcs libwayland-dev wayland-protocols gcc \
	swaybg waybar fuzzel mako-notifier libnotify-bin gtk-layer-shell-examples swaylock swayidle sway \
	grim wlr-randr kanshi wf-recorder \
	libgirepository1.0-dev gir1.2-pango-1.0 gir1.2-rsvg-2.0 fonts-noto-color-emoji fonts-droid-fallback fonts-kacst \
	python3-venv dbus-daemon dbus-bin \
	libdbus-1-dev libglib2.0-dev \
	libdrm2 libinput10 libseat1 libudev1 seatd udev hwdata \
	qemu-system-x86 qemu-utils linux-image-amd64 busybox-static kmod greetd
# (sway: the whole-desktop rows of `make bench` compare with sway + waybar + swaybg. make install: python3-venv
# for `/usr/bin/python3 -m venv`; the session: dbus-run-session is in dbus-daemon,
# dbus-update-activation-environment and dbus-send in dbus-bin. The tests' python-dbusmock needs dbus-python,
# built from source against libdbus-1-dev and libglib2.0-dev. The DRM backend: libdrm2, libinput10, libseat1,
# libudev1 (loaded through cffi), seatd. The login-session test: a VM of this machine with its own kernel
# (qemu-system-x86, linux-image-amd64; busybox-static for virtme-ng's initramfs) and Debian's display
# manager greetd, which sees this machine's /usr, so guest packages are host packages.)
STAMP := $(VENV)/.installed

# The typed hot path compiled with mypyc, in place (compositor/compiled.py lists the modules; docs/performance.md):
# built again whenever one of them changed, since a stale extension module would shadow its newer .py. Without a C
# compiler or Python.h it says so in one line, and the same modules run as plain Python.
COMPILED_SOURCES := $(shell $(PYTHON) -m compositor.compiled --sources 2>/dev/null)
COMPILED_STAMP := build/mypyc/.built

.PHONY: setup apt compiled run test lint typecheck pytest snapshots clean protocols wlcs wlcs-groups bench bench-widgets bench-compositor \
	bench-shell bench-drm bench-fuzz screenshots install uninstall fuzz soak

setup: apt $(STAMP) $(COMPILED_STAMP)

# Installs only the Debian packages that are missing, so a second run costs a dpkg query per package.
apt:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi

$(STAMP): pyproject.toml | apt
	@command -v $(PYTHON) >/dev/null || { echo "make setup: $(PYTHON) not found" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[test]'
	touch $@

compiled: $(COMPILED_STAMP)

$(COMPILED_STAMP): compositor/compiled.py $(COMPILED_SOURCES) $(STAMP)
	$(BIN)/python -m compositor.compiled
	@mkdir -p $(@D) && touch $@

run: setup
	$(BIN)/orrery run

lint: setup
	$(BIN)/ruff check compositor shell widgets themes protocols orrery_testing tests bench docs

typecheck: setup
	$(BIN)/mypy

pytest: setup
	$(BIN)/pytest

test: lint typecheck wlcs-groups pytest  # pytest last: its summary closes the output

# Writes the reference PNGs of tests/snapshots/ (a missing one fails its test): the tests with `snapshot` in their
# name, run with WIDGETS_UPDATE_SNAPSHOTS=1. Look at what changed (git diff --stat tests/snapshots) before committing.
snapshots: setup
	WIDGETS_UPDATE_SNAPSHOTS=1 $(BIN)/pytest -q -k snapshot tests

# docs/screenshots/tiled-<theme>.png for every built-in theme: a headless Orrery with its panel at 1280x800, three
# foot terminals tiled (docs/screenshots/make.py; `make screenshots THEMES=orrery-light` for one). Commit the PNGs.
screenshots: setup
	$(BIN)/python docs/screenshots/make.py $(THEMES)

# Logging into Orrery in a VM (tests/test_login_session.py, also part of `make test`): installs the session
# into build/session-prefix, boots this machine in QEMU with a virtual GPU, and logs a user in through greetd.
test-session: setup
	$(BIN)/pytest tests/test_login_session.py

# Python modules for the protocol XML pywayland does not ship (committed; rerun after editing the XML): the
# package protocols/, shared by the compositor, the toolkit and the shell. wayland.xml and xdg-shell.xml are scanned
# only so that wl_seat, xdg_popup etc. resolve; they are imported from pywayland itself.
PROTOCOL_XML := $(wildcard protocols/xml/*.xml)
protocols: setup
	rm -rf build/protocols && mkdir -p build/protocols
	$(BIN)/python -m pywayland.scanner -o build/protocols -i /usr/share/wayland/wayland.xml \
		/usr/share/wayland-protocols/stable/xdg-shell/xdg-shell.xml $(PROTOCOL_XML)
	rm -f build/protocols/wayland.py build/protocols/xdg_shell.py build/protocols/__init__.py
	sed -i -e 's/^from \.wayland import/from pywayland.protocol.wayland import/' \
		-e 's/^from \.xdg_shell import/from pywayland.protocol.xdg_shell import/' build/protocols/*.py
	mv build/protocols/*.py protocols/

# WLCS, the Wayland conformance suite: a C integration the Debian wlcs runner loads (wlcs/orrery_wlcs.c)
# starts `orrery run --backend headless` per test and drives it over IPC. `make wlcs` runs every test,
# serially with a per-test timeout, and checks the result against wlcs/expected-failures.txt.
WLCS_SO := build/wlcs/orrery_wlcs.so
WLCS_RUN := $(BIN)/python wlcs/run.py
$(WLCS_SO): wlcs/orrery_wlcs.c | apt
	@mkdir -p $(@D)
	cc -std=c11 -O2 -Wall -Wextra -Werror -fPIC -shared $$(pkg-config --cflags wayland-client) \
		-o $@ $< $$(pkg-config --libs wayland-client) -lpthread

# The groups of the conformance requirements (about 650 tests, ~5 minutes on 2 cores) run in `make test`; the rest of the
# suite is mostly skipped tests of protocols we do not implement (layer shell, foreign toplevel, v6, ...).
WLCS_GROUPS := SelfTest.*:FrameSubmission.*:ClientSurfaceEventsTest.*:BadBufferTest.*:WlOutputTest.*:\
XdgOutputV1Test.*:XdgSurfaceStableTest.*:XdgToplevelStableTest.*:XdgToplevelStableConfigurationTest.*:\
XdgPopupStable/XdgPopupTest.*:*/XdgPopupPositionerTest.*:XdgShellStableSubsurfaces/*:TouchInputSubsurfaces/*:\
*InputCombinations.*:*/SurfacePointerMotionTest.*:AllSurfaceTypes/TouchTest.*:CopyCutPaste.*:\
PrimarySelection.*:RelativePointer.*:PointerConstraints.*

wlcs: setup $(WLCS_SO)
	$(WLCS_RUN)

wlcs-groups: setup $(WLCS_SO)
	$(WLCS_RUN) --filter '$(WLCS_GROUPS)'

# The hostile-client fuzzer (orrery_testing/fuzz, docs/fuzzing.md): raw wire protocol against a headless Orrery
# serving weston-simple-shm, which must stay mapped and animating; Orrery must answer `orrery msg` within 1 s after
# every batch. Deterministic by seed. FUZZ_STRATEGIES: default (those not aimed at faults known today), all, or a
# comma-separated list (`python -m orrery_testing.fuzz strategies`). A 60 s run is part of `make test`
# (tests/test_fuzz.py, which reads the same variables). On a fault it prints the smallest batch that reproduces it.
FUZZ_SECONDS ?= 60
FUZZ_SEED ?= 1
FUZZ_STRATEGIES ?= default
FUZZ_ARGS ?=  # e.g. --stall-limit 1: also fail when orrery msg waits longer than that while a batch runs
fuzz: setup
	$(BIN)/python -m orrery_testing.fuzz run --seconds $(FUZZ_SECONDS) --seed $(FUZZ_SEED) --strategies $(FUZZ_STRATEGIES) \
		$(FUZZ_ARGS)

# 30 minutes: SOAK_CYCLES connect/bind-every-global/disconnect cycles, then the fuzzer for the rest of the time;
# prints the compositor's RSS and open-fd growth as JSON (figures in docs/performance.md).
SOAK_SECONDS ?= 1800
SOAK_CYCLES ?= 10000
soak: setup
	$(BIN)/python -m orrery_testing.fuzz soak --seconds $(SOAK_SECONDS) --cycles $(SOAK_CYCLES) --seed $(FUZZ_SEED) \
		--strategies $(FUZZ_STRATEGIES)

# Benchmarks (reported, not timed tests). Other suites can add their own bench-* targets to `bench`.
bench: bench-compositor bench-widgets bench-shell bench-drm bench-fuzz

# Orrery against weston 10 on the same loads; writes bench/results/latest.json and the table in
# docs/performance.md (see there; `bench/run.py --quick` is what `make test` runs).
bench-compositor: setup
	$(BIN)/python bench/run.py

bench-widgets: setup
	$(BIN)/python bench/widgets_scroll.py

# The bystander's frame rate while the fuzzer runs, Orrery next to weston: its own table in docs/performance.md.
bench-fuzz: setup
	$(BIN)/python bench/fuzz.py

# The shell (docs/shell.md): compositor start to the panel's first frame; launcher filtering per keystroke.
bench-shell: setup
	$(BIN)/python bench/shell_startup.py
	$(BIN)/python bench/shell_launcher_filter.py

# The DRM backend next to weston's drm-backend.so --use-pixman, both in one VM of this machine (tests/vm.py; under
# TCG emulation without KVM, ~10 minutes): merges "drm" into bench/results/latest.json, its own table in
# docs/performance.md. Not in `make test`: even `bench/drm.py --quick` takes about 2 minutes.
bench-drm: setup
	$(BIN)/python bench/drm.py

# `make install [PREFIX=/usr/local] [DESTDIR=...]`: Orrery for every user of the machine, and a session display
# managers offer. A private virtualenv in $(PREFIX)/lib/orrery made by Debian's python3 (a login user cannot run
# root's pyenv interpreter: /root is 0700), the checkout installed into it (not editable), $(PREFIX)/bin/orrery and
# orrery-session linked to its scripts, and $(WAYLAND_SESSIONS)/orrery.desktop. GDM looks in
# XDG_DATA_DIRS/wayland-sessions, which includes /usr/local/share; SDDM before 0.20 (Debian 12 has 0.19) and
# LightDM look only in /usr/share/wayland-sessions: there pass WAYLAND_SESSIONS=/usr/share/wayland-sessions.
# The virtualenv is rebuilt only when a file of the project changed; after changing INSTALL_PYTHON, uninstall first.
PREFIX ?= /usr/local
DESTDIR ?=
INSTALL_PYTHON ?= /usr/bin/python3
WAYLAND_SESSIONS ?= $(PREFIX)/share/wayland-sessions
INSTALL_VENV = $(DESTDIR)$(PREFIX)/lib/orrery
SETUPTOOLS_BUILD = build/lib build/bdist.*
INSTALL_SOURCES = pyproject.toml $(shell find compositor shell widgets themes -type f -not -path '*/__pycache__/*')

install: $(INSTALL_VENV)/.installed
	umask 022 && install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(WAYLAND_SESSIONS) && \
	ln -sfn ../lib/orrery/bin/orrery $(DESTDIR)$(PREFIX)/bin/orrery && \
	ln -sfn ../lib/orrery/bin/orrery-session $(DESTDIR)$(PREFIX)/bin/orrery-session && \
	sed 's|@bindir@|$(PREFIX)/bin|g' data/orrery.desktop.in > $(DESTDIR)$(WAYLAND_SESSIONS)/orrery.desktop.tmp && \
	mv -f $(DESTDIR)$(WAYLAND_SESSIONS)/orrery.desktop.tmp $(DESTDIR)$(WAYLAND_SESSIONS)/orrery.desktop

# setuptools builds in build/lib and packs whatever is there, so a module deleted from the checkout would come
# back from an earlier build: start clean. With DESTDIR, the scripts' #! lines name the final place.
$(INSTALL_VENV)/.installed: $(INSTALL_SOURCES) | apt
	@command -v $(INSTALL_PYTHON) >/dev/null || { echo "make install: $(INSTALL_PYTHON) not found" >&2; exit 1; }
	umask 022 && rm -rf $(SETUPTOOLS_BUILD) && \
	{ test -x $(INSTALL_VENV)/bin/python || $(INSTALL_PYTHON) -m venv $(INSTALL_VENV); } && \
	$(INSTALL_VENV)/bin/python -m pip install -q --no-warn-script-location . && rm -rf $(SETUPTOOLS_BUILD) && \
	if [ -n "$(DESTDIR)" ]; then grep -lIF '$(INSTALL_VENV)' $(INSTALL_VENV)/bin/* $(INSTALL_VENV)/pyvenv.cfg | \
		xargs -r sed -i 's|$(INSTALL_VENV)|$(PREFIX)/lib/orrery|g'; fi && \
	chmod -R a+rX $(INSTALL_VENV) && touch $@

uninstall:
	rm -rf $(DESTDIR)$(PREFIX)/lib/orrery
	rm -f $(DESTDIR)$(PREFIX)/bin/orrery $(DESTDIR)$(PREFIX)/bin/orrery-session \
		$(DESTDIR)$(WAYLAND_SESSIONS)/orrery.desktop

clean:
	-$(PYTHON) -m compositor.compiled --clean
	rm -rf $(VENV) build .mypy_cache .ruff_cache .pytest_cache
