package org.edgenn.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.List;

/**
 * The architecture of docs/architecture.md, checked on the compiled classes of every module the command line sees
 * (all but the Maven plugin): no package cycles anywhere in {@code org.edgenn}, runtime-core free of anything heavy
 * (generated inference code depends on it alone), the language free of code generation. Xtext's generated parser,
 * EMF model and base classes are left out: their cycles are Xtext's design, not ours.
 */
@AnalyzeClasses(packages = "org.edgenn", importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.NotXtextGenerated.class,
        ArchitectureTest.NotTestJars.class})
class ArchitectureTest {

    /** Leaves out the classes the MWE2 workflow generates into {@code src/main/xtext-gen}. */
    static final class NotXtextGenerated implements ImportOption {
        private static final List<String> GENERATED = List.of("/org/edgenn/dsl/edgeNN/", "/org/edgenn/dsl/parser/",
                "/org/edgenn/dsl/serializer/", "/org/edgenn/dsl/services/", "/org/edgenn/dsl/ide/contentassist/antlr/",
                "/org/edgenn/dsl/AbstractEdgeNNRuntimeModule", "/org/edgenn/dsl/EdgeNNStandaloneSetupGenerated",
                "/org/edgenn/dsl/validation/AbstractEdgeNNValidator", "/org/edgenn/dsl/scoping/AbstractEdgeNNScopeProvider",
                "/org/edgenn/dsl/ide/AbstractEdgeNNIdeModule");

        @Override
        public boolean includes(Location location) {
            return GENERATED.stream().noneMatch(location::contains);
        }
    }

    /** Leaves out test-jars on the test classpath (generator's test fixtures, used by the export-onnx tests): test code. */
    static final class NotTestJars implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("-tests.jar");
        }
    }

    private static final String MAPPER = "org.edgenn.generator.mapping";

    /**
     * Every package of {@code org.edgenn} is a slice, except that the mapper's parts ({@code mapping.search},
     * {@code mapping.table}, {@code mapping.zigzag}) are one slice with {@code mapping}: its search, tables and
     * ZigZag import work on its own result types and it orchestrates them.
     */
    static final SliceAssignment PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            String p = c.getPackageName();
            if (!p.startsWith("org.edgenn.")) {
                return SliceIdentifier.ignore();
            }
            return SliceIdentifier.of(p.startsWith(MAPPER + ".") ? MAPPER : p);
        }

        @Override
        public String getDescription() {
            return "packages of org.edgenn (the mapper's parts one with it)";
        }
    };

    /** A cycle between any two slices (directly or through others) fails, listing the dependencies. */
    @ArchTest
    static final ArchRule noPackageCycles = slices().assignedFrom(PACKAGES).should().beFreeOfCycles();

    /** runtime/core: what generated int8 code needs, on an edge JVM. */
    private static final String[] RUNTIME_CORE = {"org.edgenn.runtime.artifact..", "org.edgenn.runtime.io..",
            "org.edgenn.runtime.kernels..", "org.edgenn.runtime.net..", "org.edgenn.runtime.quant..", "org.edgenn.runtime.tensor.."};

    @ArchTest
    static final ArchRule runtimeCoreDependsOnNothingHeavy = noClasses().that().resideInAnyPackage(RUNTIME_CORE)
            .should().dependOnClassesThat().resideInAnyPackage("org.eclipse..", "org.nd4j..", "org.apache.spark..",
                    "org.bytedeco..", "com.google.inject..", "org.edgenn.dsl..", "org.edgenn.generator..", "org.edgenn.train..",
                    "org.edgenn.runtime.cost..", "org.edgenn.runtime.hw..", "org.edgenn.cli..")
            .because("generated inference code depends on runtime-core alone (docs/architecture.md, module rules)");

    @ArchTest
    static final ArchRule languageKnowsNothingOfCodeGeneration = noClasses().that().resideInAPackage("org.edgenn.dsl..")
            .and().resideOutsideOfPackage("org.edgenn.dsl.ide..")
            .should().dependOnClassesThat().resideInAnyPackage("org.edgenn.generator..", "org.edgenn.runtime..", "org.edgenn.train..")
            .because("dsl lowers to the IR and knows nothing of code generation");

    @ArchTest
    static final ArchRule irDependsOnNothing = noClasses().that().resideInAPackage("org.edgenn.ir..")
            .should().dependOnClassesThat().resideInAnyPackage("org.eclipse..", "org.nd4j..", "org.edgenn.dsl..",
                    "org.edgenn.generator..", "org.edgenn.runtime..", "org.edgenn.train..")
            .because("the IR is plain immutable Java every backend reads");
}
