"""Developer sessions: `nox -s lint typecheck typecheck_public docs tests` is what CI runs."""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "typecheck", "typecheck_public", "docs", "tests"]
nox.options.reuse_existing_virtualenvs = True

BACKENDS = ["asyncio", "asyncio+uvloop", "trio"]
# Lowest versions we declare in pyproject.toml; tests_lowest proves them.
LOWEST = ["anyio==4.10.0", "trio==0.26.1", "uvloop==0.19.0"]


@nox.session
@nox.parametrize("backend", BACKENDS, ids=BACKENDS)
def tests(session: nox.Session, backend: str) -> None:
    """One event loop per session: nox -s 'tests(trio)' -- -k emitter"""
    session.install("-e", ".[test]")
    session.run(
        "coverage",
        "run",
        "-p",
        "-m",
        "pytest",
        *session.posargs,
        env={
            "ANYIO_NET_BACKENDS": backend,
            "COVERAGE_FILE": f".coverage.{backend}",
            # backend-free tests run once, in the first session
            "ANYIO_NET_ONLY_IO": "0" if backend == BACKENDS[0] else "1",
        },
    )


@nox.session(python="3.10")
def tests_lowest(session: nox.Session) -> None:
    """The lowest Python, anyio and trio we support, on every backend."""
    session.install("-e", ".[test]")
    session.install(*LOWEST)
    session.run("pytest", "-q", *session.posargs)


@nox.session
def slow(session: nox.Session) -> None:
    """Stress and long-running tests (deselected from the default run)."""
    session.install("-e", ".[test]")
    session.run("pytest", "-m", "slow", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff==0.17.6")  # pinned: formatting must not drift under CI
    session.run("ruff", "format", "--check", ".")
    session.run("ruff", "check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install("mypy==2.4.1", "-e", ".[test]")
    session.run("mypy", "--strict", "src")


@nox.session
def typecheck_public(session: nox.Session) -> None:
    """Type completeness of the public API, camelCase aliases included (pyright)."""
    session.install("pyright==1.1.414", "-e", ".")
    session.run("pyright", "--verifytypes", "anyio_net", "--ignoreexternal")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site, warnings as errors: docs/_build/html."""
    session.install("-e", ".[docs]")
    session.run("sphinx-build", "-W", "-b", "html", "docs", "docs/_build/html")


@nox.session
def coverage(session: nox.Session) -> None:
    session.install("coverage[toml]>=7")
    session.run("coverage", "combine", success_codes=[0, 1])
    session.run("coverage", "report", "--fail-under=85")


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Echo benchmarks against Node and raw AnyIO: nox -s bench [-- --quick]

    Needs gcc (builds bench/loadgen.c) and node; writes docs/benchmarks.md and .png.
    """
    session.install("-e", ".[test]", "matplotlib>=3.7")
    session.run("python", "bench/run.py", *session.posargs)
