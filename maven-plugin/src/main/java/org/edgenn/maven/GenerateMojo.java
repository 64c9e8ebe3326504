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
import org.edgenn.generator.mapping.MappingBudget;
import org.edgenn.generator.mapping.MappingTables;
import org.edgenn.generator.mapping.NetworkMapping;
import org.edgenn.generator.pipeline.GenerateStage;
import org.edgenn.generator.pipeline.Manifest;
import org.edgenn.generator.pipeline.Outcome;
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

    /**
     * Export every network that has a trained artifact ({@code <modelDirectory>/<Network>.safetensors}, as
     * {@code edgenn train} writes it) as an int8 ONNX model, {@code <onnxDirectory>/<Network>.onnx}, as
     * {@code edgenn export-onnx} does. A network without an artifact, or with layers the exporter does not cover, is
     * a warning; an artifact that does not load fails the build.
     */
    @Parameter(property = "edgenn.onnx", defaultValue = "false")
    boolean onnx;

    /** Where the trained artifacts are, for {@link #onnx}. */
    @Parameter(property = "edgenn.modelDirectory", defaultValue = "${project.basedir}/src/main/models")
    File modelDirectory;

    /** Where the ONNX models go. */
    @Parameter(property = "edgenn.onnxDirectory", defaultValue = "${project.build.directory}/edgenn/onnx")
    File onnxDirectory;

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
        if (onnx) {
            new OnnxModels(modelDirectory.toPath(), onnxDirectory.toPath(), getLog()).export(sources.networks(), out);
        }
        project.addCompileSourceRoot(outputDirectory.getAbsolutePath());
        getLog().info(String.format(java.util.Locale.ROOT, "edgenn: %d network%s from %d file%s: %d files written, %d unchanged%s",
                sources.networks().size(), sources.networks().size() == 1 ? "" : "s", sources.files().size(),
                sources.files().size() == 1 ? "" : "s", out.written().size(), out.unchanged().size(),
                out.removed().isEmpty() ? "" : ", " + out.removed().size() + " stale removed"));
        out.written().forEach(f -> getLog().debug("edgenn: wrote " + f));
        out.removed().forEach(f -> getLog().debug("edgenn: removed " + f));
    }

    /**
     * Runs the pipeline's generate and map stages on every network; unsupported outputs are warnings. What the
     * previous run generated (its {@link Manifest}) and this one does not is removed.
     */
    private void generate(CheckedSources sources, GeneratedFiles out) throws IOException {
        Path java = outputDirectory.toPath();
        Path tables = mappingDirectory.toPath();
        Manifest javaBefore = Manifest.read(java);
        Manifest tablesBefore = Manifest.read(tables);
        FileTime newestInput = newest(sources.inputs());
        GenerateStage generate = new GenerateStage(new GenerateStage.Options(inference, trainers));
        for (Network net : sources.networks()) {
            for (Outcome o : generate.run(new GenerateStage.Input(sources.program(), net))) {
                if (o instanceof Outcome.Generated g) {
                    out.source(java.resolve(g.source().relativePath()), g.source().source());
                } else if (o instanceof Outcome.Unsupported u) {
                    // a network this output cannot express yet still trains or maps: say so, do not fail
                    getLog().warn("edgenn: no " + u.kind() + " for " + u.network() + ": " + u.reason());
                } else if (o instanceof Outcome.Skipped s) {
                    getLog().info("edgenn: no " + s.kind() + " for " + s.network() + ": " + s.reason());
                }
            }
            if (mappingTables) {
                for (NetworkMapping m : sources.mappings().get(net.name())) {
                    out.tables(tables.resolve(m.accelerator().name()),
                            MappingTables.render(m, net.name(), MappingBudget.NONE), newestInput);
                }
            }
        }
        // what an output that is switched off, or a network or target that is gone, left behind
        out.removeStale(java, javaBefore);
        out.removeStale(tables, tablesBefore);
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
