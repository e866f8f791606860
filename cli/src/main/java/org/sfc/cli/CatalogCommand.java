package org.sfc.cli;


import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sfc catalog}: check, compare, apply and roll back service catalogs. */
@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = {"Service catalogs (YAML: devices, services, their sequences; see table-compiler/README.md).",
            "validate and diff work offline; apply, rollback and history use the controller database and",
            "(apply, rollback) a P4Runtime switch."},
        subcommands = {ValidateCommand.class, DiffCommand.class, ApplyCommand.class, RollbackCommand.class,
            HistoryCommand.class, ShowCatalogCommand.class, CommandLine.HelpCommand.class})
final class CatalogCommand extends GroupCommand {
}
