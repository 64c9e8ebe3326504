package org.edgenn.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import org.edgenn.cli.archfixture.a.Left;
import org.edgenn.cli.archfixture.b.Right;
import org.edgenn.runtime.net.Int8Layer;
import org.junit.jupiter.api.Test;

/**
 * {@link ArchitectureTest}'s rules fail when the architecture is broken: they are evaluated on deliberately broken
 * classes (two test packages that depend on each other) and on well-formed ones, so a rule that could never fail
 * would show up here.
 */
class ArchitectureRulesFailTest {

    @Test
    void aPackageCycleIsAViolationNamingBothPackages() {
        JavaClasses cyclic = new ClassFileImporter().importClasses(Left.class, Right.class);
        EvaluationResult r = ArchitectureTest.noPackageCycles.evaluate(cyclic);
        assertTrue(r.hasViolation(), "a cycle between archfixture.a and archfixture.b passed the rule");
        String report = String.join("\n", r.getFailureReport().getDetails());
        assertTrue(report.contains("org.edgenn.cli.archfixture.a") && report.contains("org.edgenn.cli.archfixture.b"), report);
    }

    @Test
    void classesWithoutACyclePass() {
        JavaClasses oneWay = new ClassFileImporter().importClasses(Left.class);
        assertFalse(ArchitectureTest.noPackageCycles.evaluate(oneWay).hasViolation());
    }

    @Test
    void runtimeCoreReachingTheGeneratorIsAViolation() {
        // a fixture in runtime-core's package that uses a design-time type of the generator
        JavaClasses heavy = new ClassFileImporter().importClasses(org.edgenn.runtime.net.ArchFixtureHeavy.class);
        assertTrue(ArchitectureTest.runtimeCoreDependsOnNothingHeavy.evaluate(heavy).hasViolation());
        JavaClasses light = new ClassFileImporter().importClasses(Int8Layer.class);
        assertFalse(ArchitectureTest.runtimeCoreDependsOnNothingHeavy.evaluate(light).hasViolation());
    }
}
