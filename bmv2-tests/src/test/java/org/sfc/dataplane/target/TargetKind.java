package org.sfc.dataplane.target;

/**
 * The targets a packet suite runs on: {@code @ParameterizedClass @EnumSource(TargetKind.class)} runs a test class
 * once per kind. BMv2 tests are skipped, saying what is missing, where p4c or simple_switch_grpc is not installed.
 */
public enum TargetKind {
    SOFTWARE_SWITCH("software switch") {
        @Override
        public Target start(java.nio.file.Path program) throws Exception {
            return SoftwareSwitchTarget.start(program);
        }
    },
    /** The software switch running p4src/tna/sfc.p4 in its tna model: the same scenarios, as Tofino runs them. */
    SOFTWARE_SWITCH_TNA("software switch (TNA)") {
        @Override
        public Target start() throws Exception {
            return SoftwareSwitchTarget.start(SoftwareSwitchTarget.TNA_PROGRAM);
        }

        @Override
        public Target start(java.nio.file.Path program) throws Exception {
            return SoftwareSwitchTarget.start(program);
        }
    },
    BMV2("bmv2") {
        @Override
        public Target start(java.nio.file.Path program) throws Exception {
            return Bmv2Target.startOrSkip(program);
        }
    };

    private final String label;

    TargetKind(String label) {
        this.label = label;
    }

    /** The target with the sfc program (of this kind's architecture) as its pipeline (not yet pushed). */
    public Target start() throws Exception {
        return start(SoftwareSwitchTarget.PROGRAM);
    }

    /** The target with {@code program} (a v1model source file) as its pipeline (not yet pushed). */
    public abstract Target start(java.nio.file.Path program) throws Exception;

    @Override
    public String toString() {
        return label;
    }
}
