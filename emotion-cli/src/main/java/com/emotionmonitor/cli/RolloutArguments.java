package com.emotionmonitor.cli;

import java.util.function.DoubleFunction;

/** The arguments {@code model shadow} and {@code model canary} share: VERSION xor --stop, a fraction in (0, 1]. */
final class RolloutArguments {

    private RolloutArguments() {}

    static int send(ModelControlOptions control, String verb, String name, String version, boolean stop, double fraction,
                    DoubleFunction<ModelSwitch.Step> step) throws Exception {
        if (stop) {
            if (version != null) {
                throw new IllegalArgumentException("model " + verb + " --stop ends whatever shadow or canary runs: give no VERSION");
            }
            return ModelSwitch.run(control, ModelSwitch.Step.stop(verb), name, null, System.out, System.err);
        }
        if (version == null) {
            throw new IllegalArgumentException("model " + verb + " needs the VERSION to " + verb + " (or --stop)");
        }
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("--fraction must be in (0, 1], got " + fraction);
        }
        return ModelSwitch.run(control, step.apply(fraction), name, version, System.out, System.err);
    }
}
