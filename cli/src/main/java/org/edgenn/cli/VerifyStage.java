package org.edgenn.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.edgenn.generator.mapping.table.JsonTableReader;
import org.edgenn.generator.pipeline.Stage;
import org.edgenn.generator.report.TrainingRecord;
import org.edgenn.ir.accel.AcceleratorSpec;
import org.edgenn.ir.graph.Network;
import org.edgenn.runtime.net.Int8Network;
import org.edgenn.train.data.DataException;

/**
 * The pipeline's verify stage as the command line runs it ({@code edgenn verify}, and {@code edgenn build} after the
 * generate stage): the trained artifact loaded into the generated int8 class, the train block's held-out examples
 * read through the generated trainer, then the checks of {@link Verification}. An input problem (no held-out data, an
 * artifact that does not load) is the value's {@code stop}, with the exit code and message for the user.
 */
final class VerifyStage implements Stage<VerifyStage.Input, VerifyStage.Verified> {

    /**
     * The generated classes of {@code network}, its trained {@code artifact}, the mapping {@code table} to check and
     * the depth-first {@code stacks} of its schedule (executed tile by tile; from the search's mapping or rebuilt from
     * the table).
     */
    record Input(Network network, AcceleratorSpec target, GeneratedClasses classes, VerifyCommand.Artifact artifact,
                 JsonTableReader.Table table, Path dataDir, org.edgenn.generator.verify.StackSchedule stacks) {
    }

    /** The verdicts, or ({@code result} null) why the checks could not run. */
    record Verified(Verification.Result result, CommandException stop) {
    }

    private final int samples;
    private final long simulateLimit;
    private final PrintWriter err;

    /**
     * @param samples       held-out examples to check
     * @param simulateLimit layers whose mapping walks more MAC slots are not simulated
     * @param err           where the progress bars go
     */
    VerifyStage(int samples, long simulateLimit, PrintWriter err) {
        this.samples = samples;
        this.simulateLimit = simulateLimit;
        this.err = err;
    }

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public Verified run(Input in) {
        try {
            return new Verified(verify(in), null);
        } catch (CommandException e) {
            return new Verified(null, e);
        } catch (Exception e) {
            throw new Defect(e); // a generated class that fails unexpectedly: reported as an internal error
        }
    }

    private Verification.Result verify(Input in) throws Exception {
        Network net = in.network();
        VerifyCommand.Artifact artifact = in.artifact();
        if (net.loss() == null) {
            throw new CommandException(EdgeNN.USAGE, "network " + net.name()
                    + " declares no loss and so no train block data: there are no held-out examples to verify on");
        }
        List<HeldOutExamples.Example> examples;
        Object trainer = in.classes().newTrainer(in.dataDir());
        try {
            examples = HeldOutExamples.of(trainer, samples);
        } catch (DataException | IOException e) {
            throw new CommandException(EdgeNN.USAGE, net.name() + ": held-out data not available: " + e.getMessage());
        }
        if (examples.isEmpty()) {
            throw new CommandException(EdgeNN.USAGE, net.name() + ": the train block's held-out set is empty");
        }
        Int8Network int8;
        try {
            int8 = in.classes().load(artifact.safetensors());
        } catch (IOException e) {
            throw new CommandException(EdgeNN.USAGE, "cannot load " + artifact.safetensors() + ": " + e.getMessage());
        }
        String metric = (String) trainer.getClass().getField("METRIC").get(null);
        TrainingRecord training = artifact.training();
        String from = training == null ? "no " + artifact.metrics().getFileName() + " beside the model"
                : artifact.metrics().getFileName().toString();
        return Verification.run(net, in.target(), int8, in.classes().infer(), examples, metric, training, from,
                in.table(), in.stacks(), simulateLimit, err);
    }
}
