package org.sfc.cli;

import org.sfc.controller.Provisioner;

import picocli.CommandLine.Option;

/** {@code --replace}: take charge of a switch even if it holds entries this database did not write. */
final class TakeoverOption {
    @Option(names = "--replace", description = {"overwrite a switch that holds entries no version of this database wrote",
        "(another controller's, or an operator's); without it such a switch is refused (exit 3) and left alone.",
        "'sfc switch adopt' records them as a version instead"})
    boolean replace;

    Provisioner.Takeover takeover() {
        return replace ? Provisioner.Takeover.REPLACE : Provisioner.Takeover.REFUSE;
    }
}
