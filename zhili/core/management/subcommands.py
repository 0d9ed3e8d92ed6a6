"""A management command made of subcommands (`zhili apikey create ...`): `handle` calls the
command's `_<subcommand>` method with the options, and a service's refusal (DomainError)
ends the command with its message."""

from argparse import ArgumentParser, _SubParsersAction

from django.core.management.base import BaseCommand, CommandError

from zhili.core.errors import DomainError


class SubcommandCommand(BaseCommand):
    def add_arguments(self, parser: ArgumentParser) -> None:
        self.add_subcommands(parser.add_subparsers(dest="what", required=True))

    def add_subcommands(self, sub: "_SubParsersAction[ArgumentParser]") -> None:
        """Add the subcommands' parsers to `sub` (`sub.add_parser(name, help=...)`)."""
        raise NotImplementedError

    def handle(self, *args: str, what: str, **options: object) -> None:
        try:
            getattr(self, f"_{what}")(**options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
