package org.edgenn.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.edgenn.generator.GeneratedSource;
import org.edgenn.generator.inference.InferenceGenerator;
import org.edgenn.generator.inference.UnsupportedInferenceException;
import org.edgenn.generator.mapping.MappingBudget;
import org.edgenn.generator.mapping.MappingTables;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.training.TrainBlock;
import org.edgenn.ir.Diagnostic;
import org.edgenn.ir.graph.Network;

/**
 * {@code edgenn:generate}: checks a project's {@code .edgenn} files as {@code edgenn check} does (every diagnostic
 * printed as {@code path:line:col: error: message}; any error fails the build), then generates for every network
 * its int8 inference class and its trainer into a compile source root, and the mapping tables of the targets its
 * budgets name. Files are replaced atomically and only when their content changes.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractMojo {

    /** The directory holding the {@code .edgenn} files. */
    @Parameter(property = "edgenn.sourceDirectory", defaultValue = "${project.basedir}/src/main/edgenn")
    File sourceDirectory;

    /** Which files of {@link #sourceDirectory}, as glob patterns relative to it (default: every {@code .edgenn} file). */
    @Parameter
    List<String> includes = List.of("**/*.edgenn");

    /** Where the Java sources go; added to the project's compile source roots. */
    @Parameter(property = "edgenn.outputDirectory", defaultValue = "${project.build.directory}/generated-sources/edgenn")
    File outputDirectory;

    /** Generate each network's int8 inference class ({@code <Network>Int8}); it needs edgenn-runtime-core to compile. */
    @Parameter(property = "edgenn.inference", defaultValue = "true")
    boolean inference;

    /** Generate each network's trainer ({@code <Network>Trainer}); it needs edgenn-runtime-train (ND4J) to compile. */
    @Parameter(property = "edgenn.trainers", defaultValue = "true")
    boolean trainers;

    /** Write {@code <target>/<Network>.mapping.json/.csv/.md} for every target a network's budgets name. */
    @Parameter(property = "edgenn.mappingTables", defaultValue = "true")
    boolean mappingTables;

    /** Where the mapping tables go, one directory per target. */
    @Parameter(property = "edgenn.mappingDirectory", defaultValue = "${project.build.directory}/edgenn/mapping")
    File mappingDirectory;

    @Parameter(property = "edgenn.skip", defaultValue = "false")
    boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("edgenn: skipped");
            return;
        }
        if (!sourceDirectory.isDirectory()) {
            getLog().info("edgenn: no .edgenn sources (" + sourceDirectory + " is not a directory)");
            return;
        }
        CheckedSources sources = CheckedSources.check(sourceDirectory.toPath(), includes);
        sources.unmatched().forEach(i -> getLog().warn("edgenn: no .edgenn files match " + i + " in " + sourceDirectory));
        report(sources.diagnostics());
        List<Diagnostic> errors = sources.errors();
        if (!errors.isEmpty()) {
            throw new MojoFailureException(errors.size() + " error" + (errors.size() == 1 ? "" : "s") + " in .edgenn sources:"
                    + errors.stream().map(d -> "\n  " + d).collect(Collectors.joining()));
        }
        GeneratedFiles out = new GeneratedFiles();
        try {
            generate(sources, out);
        } catch (IOException e) {
            throw new MojoExecutionException("edgenn: cannot write generated files: " + e.getMessage(), e);
        }
        project.addCompileSourceRoot(outputDirectory.getAbsolutePath());
        getLog().info(String.format(java.util.Locale.ROOT, "edgenn: %d network%s from %d file%s: %d files written, %d unchanged%s",
                sources.networks().size(), sources.networks().size() == 1 ? "" : "s", sources.files().size(),
                sources.files().size() == 1 ? "" : "s", out.written().size(), out.unchanged().size(),
                out.removed().isEmpty() ? "" : ", " + out.removed().size() + " stale removed"));
        out.written().forEach(f -> getLog().debug("edgenn: wrote " + f));
        out.removed().forEach(f -> getLog().debug("edgenn: removed " + f));
    }

    private void generate(CheckedSources sources, GeneratedFiles out) throws IOException {
        Path java = outputDirectory.toPath();
        FileTime newestInput = newest(sources.inputs());
        for (Network net : sources.networks()) {
            if (inference) {
                try {
                    GeneratedSource int8 = InferenceGenerator.generate(net);
                    out.source(java.resolve(int8.relativePath()), int8.source());
                } catch (UnsupportedInferenceException e) {
                    // a network the int8 runtime cannot run yet still trains and maps: say so, do not fail
                    getLog().warn("edgenn: no int8 inference class for " + net.name() + ": " + e.getMessage());
                }
            }
            if (trainers) {
                if (net.loss() == null) {
                    getLog().info("edgenn: " + net.name() + " declares no loss: no trainer");
                } else {
                    try {
                        GeneratedSource trainer = TrainBlock.generate(sources.program(), net);
                        out.source(java.resolve(trainer.relativePath()), trainer.source());
                    } catch (IllegalArgumentException e) {
                        // an op the trainer generator has no code for yet: a warning, as for inference, not a stack trace
                        getLog().warn("edgenn: no trainer for " + net.name() + ": " + e.getMessage());
                    }
                }
            }
            if (mappingTables) {
                for (NetworkMapping m : sources.mappings().get(net.name())) {
                    out.tables(mappingDirectory.toPath().resolve(m.accelerator().name()),
                            MappingTables.render(m, net.name(), MappingBudget.NONE), newestInput);
                }
            }
        }
        // what an output that is switched off, or a network or target that is gone, left behind
        out.removeStale(java, GenerateMojo::isGeneratedSource);
        out.removeStale(mappingDirectory.toPath(), f -> f.getFileName().toString().matches(".+\\.mapping\\.(json|csv|md)"));
    }

    /** A Java file whose class comment says EdgeNN generated it (hand-written files next to it are kept). */
    private static boolean isGeneratedSource(Path f) {
        try {
            return f.toString().endsWith(".java") && Files.readString(f).contains(", generated by EdgeNN");
        } catch (IOException e) {
            return false;
        }
    }

    private void report(List<Diagnostic> diagnostics) {
        for (Diagnostic d : diagnostics) {
            if (d.error()) {
                getLog().error(d.toString());
            } else {
                getLog().warn(d.toString());
            }
        }
    }

    private static FileTime newest(List<Path> files) throws IOException {
        FileTime newest = FileTime.fromMillis(0);
        for (Path f : files) {
            FileTime t = Files.getLastModifiedTime(f);
            newest = t.compareTo(newest) > 0 ? t : newest;
        }
        return newest;
    }
}
