# Orrery: `make run` starts the desktop, `make test` checks everything. Both set up what is missing first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Debian packages: build headers for pycairo/xkbcommon, and the real clients the tests drive.
APT_PACKAGES := libcairo2-dev pkg-config libxkbcommon-dev libffi-dev python3-dev \
	weston foot wtype wl-clipboard wayland-utils xvfb xdotool x11-apps imagemagick \
	gtk-3-examples gtk-4-examples dbus dbus-x11 xcursor-themes adwaita-icon-theme \
	libgl1-mesa-dri libglu1-mesa fonts-dejavu-core
STAMP := $(VENV)/.installed

.PHONY: setup apt run test lint typecheck pytest clean

setup: apt $(STAMP)

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

run: setup
	$(BIN)/orrery run

lint: setup
	$(BIN)/ruff check compositor shell widgets themes tests

typecheck: setup
	$(BIN)/mypy

pytest: setup
	$(BIN)/pytest

test: lint typecheck pytest

clean:
	rm -rf $(VENV) build .mypy_cache .ruff_cache .pytest_cache
