package org.edgenn.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.edgenn.ir.graph.Network;
import org.edgenn.ir.graph.Program;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgenn train FILE --network N --out DIR}: the pipeline's check and train stages ({@link TrainStage}): the
 * network's trainer generated into {@code DIR/src}, compiled in memory and run; then {@code DIR/N.safetensors},
 * {@code DIR/N.metrics.json} and {@code DIR/N.curve.png}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Generate, compile and run a network's trainer; write N.safetensors, N.metrics.json, N.curve.png and the trainer source.")
public final class TrainCommand implements Callable<Integer> {

    @Mixin
    NetworkArguments subject;

    @Mixin
    TrainingOptions training = new TrainingOptions();

    @Option(names = "--out", defaultValue = "out", description = "output directory (default: ${DEFAULT-VALUE})")
    Path outDir;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!training.valid()) {
            err.println("edgenn: error: --epochs and --batches-per-epoch must be at least 1, --checkpoint-every at least 0");
            return EdgeNN.USAGE;
        }
        NetworkArguments.Selected selected = subject.select(err);
        if (selected.exit() != null) {
            return selected.exit();
        }
        Program program = selected.program();
        Network net = selected.network();
        return new TrainStage(training, outDir, out, err).run(new TrainStage.Input(program, net)).exit();
    }

    /** Where relative data paths of the train block resolve: {@code dataDir} if given, else the network file's directory. */
    static Path dataBase(Network net, Path dataDir) {
        if (dataDir != null) {
            return dataDir;
        }
        return net.source() == null || net.source().file().isEmpty() ? Path.of(".")
                : Path.of(net.source().file()).toAbsolutePath().getParent();
    }

}
