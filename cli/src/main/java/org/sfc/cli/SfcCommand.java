package org.sfc.cli;


import org.sfc.sw.cli.SwitchCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sfc}: service chaining on programmable switches, from one command. */
@Command(name = "sfc", mixinStandardHelpOptions = true, version = "sfc 0.1.0",
        description = {"Service chaining on programmable switches: steer every packet of a service through an",
            "ordered sequence of devices (firewall, IDS, VPN, proxy, servers) and back, from a catalog.",
            "",
            "Exit codes: 0 ok, 1 the catalog is invalid, 2 bad usage, 3 the switch refused a change or holds",
            "entries this database did not write (nothing was changed), 4 no switch could be reached, 5 the",
            "controller's API does not permit this user what it asked (nothing was changed)."},
        subcommands = {DemoCommand.class, CatalogCommand.class, ServiceCommand.class, DeviceCommand.class, PipelineCommand.class,
            StatsCommand.class, EventsCommand.class, ControllerCommand.class, UserCommand.class, TokenCommand.class,
            SwitchCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class})
public final class SfcCommand extends GroupCommand {
    public static final int INVALID = 1;
    public static final int REFUSED = 3;
    public static final int UNREACHABLE = 4;
    public static final int FORBIDDEN = 5;


    /** The command line as the launcher runs it (tests call {@link #run} to keep the JVM). */
    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = commandLine();
        int code = cl.execute(args);
        cl.getOut().flush(); // print() does not flush on its own
        cl.getErr().flush();
        return code;
    }

    /** The command line with sfc's error handling (operator messages, trustworthy exit codes). */
    public static CommandLine commandLine() {
        // Descriptions are written in lines of up to ~110 characters: a narrower help would re-wrap them raggedly.
        CommandLine cl = new CommandLine(new SfcCommand());
        // 'sfc switch' is the software switch's command group; adopting is about any switch, so it joins here.
        // So do the state of the switches in the controller's charge and the choice of a pair's active one.
        cl.getSubcommands().get("switch").addSubcommand("adopt", new AdoptCommand());
        cl.getSubcommands().get("switch").addSubcommand("list", new SwitchStateCommands.List());
        cl.getSubcommands().get("switch").addSubcommand("activate", new SwitchStateCommands.Activate());
        return cl.setExecutionExceptionHandler(Errors::handle).setUsageHelpWidth(112);
    }
}
