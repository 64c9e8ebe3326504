package org.edgenn.runtime.net;

import org.edgenn.generator.pipeline.Stage;

/**
 * Test fixture, not runtime code: a class in runtime-core's package that depends on the generator, which
 * {@code ArchitectureRulesFailTest} shows {@code ArchitectureTest.runtimeCoreDependsOnNothingHeavy} rejects.
 */
public final class ArchFixtureHeavy {
    public String stageName(Stage<?, ?> stage) {
        return stage.name();
    }
}
