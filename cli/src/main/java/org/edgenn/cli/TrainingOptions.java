package org.edgenn.cli;

import java.nio.file.Path;
import org.edgenn.ir.graph.Network;
import picocli.CommandLine.Option;

/** The training settings {@code edgenn train} and {@code edgenn build} share (a picocli mixin). */
final class TrainingOptions {
    @Option(names = "--epochs", description = "training epochs (default: the train block's)")
    Integer epochs;

    @Option(names = "--batches-per-epoch", description = "optimizer steps per epoch (default: the whole data source)")
    Integer batchesPerEpoch;

    @Option(names = "--data-dir", description = "base of relative data paths (default: the directory of the network's file)")
    Path dataDir;

    @Option(names = "--init-weights", paramLabel = "W.safetensors",
            description = "start from these float weights instead of the initializers (e.g. import-onnx's): IR names, conv OHWI, dense [OUT, IN]")
    Path initWeights;

    @Option(names = "--resume", description = "continue a killed or failed training from its last checkpoint in DIR/.checkpoint"
            + " (without it, a run starts from the beginning)")
    boolean resume;

    @Option(names = "--checkpoint-every", defaultValue = "60", paramLabel = "SECONDS",
            description = "write a checkpoint at the end of an epoch when this many seconds have passed since the last one; 0 = every epoch"
                    + " (default: ${DEFAULT-VALUE})")
    int checkpointSeconds;

    /** False when a count given on the command line is below 1 (or the checkpoint interval below 0). */
    boolean valid() {
        return (epochs == null || epochs >= 1) && (batchesPerEpoch == null || batchesPerEpoch >= 1) && checkpointSeconds >= 0;
    }

    /** Where relative data paths of the train block resolve: {@code --data-dir} if given, else the network file's directory. */
    Path dataBase(Network net) {
        return TrainCommand.dataBase(net, dataDir);
    }
}
