package org.edgenn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code edgenn} command. Exit codes: 0 success, 1 errors in the input, 2 bad usage. */
@Command(name = "edgenn", mixinStandardHelpOptions = true, version = "edgenn 0.1.0",
        description = "Model-aware networks for edge accelerators: check, map, train and build .edgenn models.",
        subcommands = {CheckCommand.class, MapCommand.class, TrainCommand.class, VerifyCommand.class, BuildCommand.class,
                ImportZigZagCommand.class, ExportOnnxCommand.class, ImportOnnxCommand.class, LspCommand.class, ExploreCommand.class})
public final class EdgeNN implements Runnable {

    public static final int OK = 0;
    public static final int INPUT_ERRORS = 1;
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command, e.g. edgenn check FILE");
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests execute it in-process. */
    public static CommandLine commandLine() {
        // ND4J's start-up banner and op-mapping warnings are not the user's business (set before ND4J loads)
        System.setProperty("org.slf4j.simpleLogger.log.org.nd4j", System.getProperty("org.slf4j.simpleLogger.log.org.nd4j", "error"));
        CommandLine cl = new CommandLine(new EdgeNN());
        cl.setExecutionExceptionHandler((thrown, cmd, parsed) -> {
            // a defect, not bad input: say so in one line, keep the trace for a bug report
            Throwable ex = thrown instanceof Defect d ? d.getCause() : thrown;
            cmd.getErr().println("edgenn: internal error: " + ex);
            ex.printStackTrace(cmd.getErr());
            return 3;
        });
        return cl;
    }
}
