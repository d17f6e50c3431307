"""The `govern` command line: a thin shell over the Python API."""

from __future__ import annotations

import click

from govern.cli.aggregate import aggregate
from govern.cli.check import check
from govern.cli.checks import checks
from govern.cli.compat import compat
from govern.cli.compile import compile_
from govern.cli.docs import docs
from govern.cli.init import init
from govern.cli.lint import lint
from govern.cli.options import ISSUE_FORMAT_KEY
from govern.cli.output import echo_issues
from govern.cli.reconcile import reconcile
from govern.cli.replay import replay
from govern.cli.show import show
from govern.cli.test import test
from govern.cli.trace import trace
from govern.cli.validate import validate
from govern.errors import CatalogLoadError, GovernError


class GovernGroup(click.Group):
    """Turns govern's errors into a message and their exit code, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CatalogLoadError as exc:
            echo_issues(exc.issues, ctx.meta.get(ISSUE_FORMAT_KEY, "text"))
            ctx.exit(exc.exit_code)
        except GovernError as exc:
            click.echo(f"govern: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=GovernGroup)
@click.version_option(package_name="govern")
def main() -> None:
    """govern: metering contracts as code.

    Event contracts and meter definitions, kept as versioned YAML, checked, compiled
    and explained. Exit codes: 0 ok, 1 findings, 2 usage or input errors.
    """


COMMANDS = (
    init,
    lint,
    show,
    check,
    compat,
    compile_,
    validate,
    aggregate,
    trace,
    test,
    replay,
    reconcile,
    checks,
    docs,
)
for command in COMMANDS:
    main.add_command(command)
