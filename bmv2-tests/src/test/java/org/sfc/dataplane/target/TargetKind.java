package org.sfc.dataplane.target;

/**
 * The targets a packet suite runs on: {@code @ParameterizedClass @EnumSource(TargetKind.class)} runs a test class
 * once per kind. BMv2 tests are skipped, saying what is missing, where p4c or simple_switch_grpc is not installed.
 */
public enum TargetKind {
    SOFTWARE_SWITCH("software switch") {
        @Override
        public Target start() throws Exception {
            return SoftwareSwitchTarget.start();
        }
    },
    BMV2("bmv2") {
        @Override
        public Target start() throws Exception {
            return Bmv2Target.startOrSkip();
        }
    };

    private final String label;

    TargetKind(String label) {
        this.label = label;
    }

    public abstract Target start() throws Exception;

    @Override
    public String toString() {
        return label;
    }
}
