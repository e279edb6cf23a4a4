"""The compositor's typed hot path, compiled with mypyc in place: an extension module next to each listed .py
(imported instead of it), plus one shared library, compositor/_compiled__mypyc*.so. The sources stay the truth:
without the .so files (no compiler here, or removed) the same modules run as plain Python.

``python -m compositor.compiled`` builds (``make compiled`` runs it when a listed source changed); ``--sources``
prints the listed files (the Makefile's dependencies); ``--clean`` removes what a build made. Only the standard
library is imported until it builds.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import sys
import sysconfig

# The per-request and per-frame path: dispatching requests and posting events, surface state and commit, damage
# and regions, occlusion. One group: calls between them stay native. (frames.py, scene.py, render.py and
# buffers.py compile too, but their unit tests drive them with stand-ins that compiled code rejects for their
# types; docs/performance.md, "Compiled hot path".)
MODULES = [
    "compositor/geometry.py",
    "compositor/occlusion.py",
    "compositor/surface.py",
    "compositor/wl/resource.py",
    "compositor/wl/display.py",
]
GROUP = "compositor._compiled"  # the shared library's module: inside the package, found wherever it is
BUILD_DIR = "build/mypyc"
PACKAGE = "compositor"  # holds every compiled module (and nothing else built)


def built_files() -> list[str]:
    """The extension modules in the package now: those of a build, and of earlier builds of other lists."""
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    return sorted(glob.glob(f"{PACKAGE}/**/*{suffix}", recursive=True))


def clean() -> None:
    for path in built_files():
        os.remove(path)
    shutil.rmtree(BUILD_DIR, ignore_errors=True)


def compiler_missing() -> str | None:
    """Why nothing can be compiled here, or None."""
    include = sysconfig.get_paths()["include"]
    if not os.path.exists(os.path.join(include, "Python.h")):
        return f"no Python.h in {include}"
    compiler = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc").split()[0]  # as setuptools
    if shutil.which(compiler) is None:
        return f"no C compiler ({compiler})"
    return None


def mypyc_missing() -> str | None:
    try:
        import mypyc.build  # noqa: F401 - (mypy's test dependency brings it)
    except ImportError:
        return "no mypyc"
    return None


def build() -> None:
    from mypyc.build import mypycify
    from setuptools import Distribution

    # Its own mypy cache, and no unused-ignore warnings: mypyc checks the modules from other entry points than
    # mypy (whose `make typecheck` is the judge of them), so an error some ignore is about may not arise here.
    options = ["--cache-dir", f"{BUILD_DIR}/cache", "--no-warn-unused-ignores"]
    extensions = mypycify([*options, *MODULES], group_name=GROUP, target_dir=BUILD_DIR)
    # setuptools' build_ext alone (setup() would read pyproject.toml as the project's own build)
    distribution = Distribution({"name": "orrery-compiled", "ext_modules": extensions})
    command = distribution.get_command_obj("build_ext")
    command.inplace, command.build_temp = True, BUILD_DIR
    distribution.run_command("build_ext")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", action="store_true", help="print the compiled modules' sources")
    parser.add_argument("--clean", action="store_true", help="remove the built modules")
    args = parser.parse_args()
    os.chdir(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # the checkout
    if args.sources:
        print(" ".join(MODULES))
    elif args.clean:
        clean()
    else:
        clean()  # first: an old .so (of a module changed since, or no longer listed) would shadow its .py
        missing = compiler_missing() or mypyc_missing()
        if missing is not None:
            print(f"compiled hot path not built ({missing}): the compositor runs as plain Python", file=sys.stderr)
            return 0
        build()
    return 0


if __name__ == "__main__":
    sys.exit(main())
