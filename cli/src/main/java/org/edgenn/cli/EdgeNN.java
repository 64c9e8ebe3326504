package org.edgenn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code edgenn} command. Exit codes: 0 success, 1 errors in the input, 2 bad usage. */
@Command(name = "edgenn", mixinStandardHelpOptions = true, version = "edgenn 0.1.0",
        description = "Model-aware networks for edge accelerators: check, map, train and build .edgenn models.")
public final class EdgeNN implements Runnable {

    /** The subcommands, in the order the help lists them. */
    static final java.util.List<Class<?>> COMMANDS = java.util.List.of(CheckCommand.class, MapCommand.class,
            TrainCommand.class, VerifyCommand.class, BuildCommand.class, ImportZigZagCommand.class,
            ExportOnnxCommand.class, ImportOnnxCommand.class, LspCommand.class, ExploreCommand.class);

    public static final int OK = 0;
    public static final int INPUT_ERRORS = 1;
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command, e.g. edgenn check FILE");
    }

    /** What went wrong reading or writing a file, without the path (the caller puts it first). */
    static String reason(java.io.IOException e) {
        String io = ioProblem(e);
        return io != null && io.contains(": error: ") ? io.substring(io.indexOf(": error: ") + 9) : String.valueOf(e.getMessage());
    }

    /** {@code path: error: reason} for a file-system failure anywhere in {@code ex}'s causes, else null. */
    static String ioProblem(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof java.nio.file.FileSystemException f) {
                String why = f instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                        : f instanceof java.nio.file.FileAlreadyExistsException ? "exists and is not a directory"
                        : f instanceof java.nio.file.AccessDeniedException ? "permission denied"
                        : f instanceof java.nio.file.NotDirectoryException ? "not a directory"
                        : f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
                String other = f.getOtherFile() == null ? "" : " (" + f.getOtherFile() + ")";
                return (f.getFile() == null ? "edgenn" : f.getFile()) + ": error: cannot read or write: " + why + other;
            }
            if (t instanceof java.io.IOException i && !(t.getCause() instanceof java.io.IOException)) {
                return "edgenn: error: input/output failed: " + i.getMessage();
            }
        }
        return null;
    }

    public static void main(String[] args) {
        System.exit(forArguments(args).execute(args));
    }

    /** The command line that runs {@code args}: {@link #commandLine(String)} for their first. */
    static CommandLine forArguments(String... args) {
        return commandLine(args.length == 0 ? null : args[0]);
    }

    /** The configured command line with every subcommand; tests execute it in-process. */
    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The configured command line; when {@code first} (the first argument) names a subcommand, with that one only:
     * picocli builds a subcommand's model from its annotations by reflection (and loads its classes) at every start, so
     * the nine commands not run cost start-up CPU for nothing (docs/BENCHMARKS.md, speed session 11). The named subcommand parses and runs exactly as in the whole tree; any other first argument (an option such as
     * --help, a misspelt command) gets the whole tree, so that help and suggestions list every command.
     */
    static CommandLine commandLine(String first) {
        // ND4J's start-up banner and op-mapping warnings are not the user's business (set before ND4J loads)
        System.setProperty("org.slf4j.simpleLogger.log.org.nd4j", System.getProperty("org.slf4j.simpleLogger.log.org.nd4j", "error"));
        // Guice (the language's injector) otherwise generates a class per injected type at run time, which no
        // class-data archive holds: reflection instead saves ~0.15 s of CPU per start of a command reading .edgenn
        // files, and the injector is built once per process (set before Guice loads; a caller's choice is kept)
        System.setProperty("guice_bytecode_gen_option", System.getProperty("guice_bytecode_gen_option", "DISABLED"));
        CommandLine cl = new CommandLine(new EdgeNN());
        boolean one = COMMANDS.stream().anyMatch(c -> name(c).equals(first));
        for (Class<?> c : COMMANDS) {
            if (!one || name(c).equals(first)) {
                cl.addSubcommand(c); // before the converter and handler below: picocli applies them to those added
            }
        }
        // every duration option is a time budget: a negative or zero one was taken as given (PT-2S searched with a
        // budget already spent) instead of being refused
        cl.registerConverter(java.time.Duration.class, text -> {
            java.time.Duration d;
            try {
                d = java.time.Duration.parse(text);
            } catch (java.time.format.DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a duration such as PT2S or PT1M");
            }
            if (d.isNegative() || d.isZero()) {
                throw new CommandLine.TypeConversionException("a time budget is positive, not " + text);
            }
            return d;
        });
        // an empty path (`--out "$DIR"` with DIR unset) was the current directory: outputs landed there, and an empty
        // FILE argument read the directory; refused like any other value that cannot be right
        cl.registerConverter(java.nio.file.Path.class, text -> {
            if (text.isBlank()) {
                throw new CommandLine.TypeConversionException("an empty path names no file or directory");
            }
            try {
                return java.nio.file.Path.of(text);
            } catch (java.nio.file.InvalidPathException e) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a path: " + e.getReason());
            }
        });
        cl.setExecutionExceptionHandler((thrown, cmd, parsed) -> {
            // a defect, not bad input: say so in one line, keep the trace for a bug report
            Throwable ex = thrown instanceof Defect d ? d.getCause() : thrown;
            String io = ioProblem(ex);
            if (io != null) {
                // an output directory that cannot be made, a file where a directory is wanted, a full or read-only
                // disk: the user's environment, not a defect, so no stack trace
                cmd.getErr().println(io);
                return USAGE;
            }
            cmd.getErr().println("edgenn: internal error: " + ex);
            ex.printStackTrace(cmd.getErr());
            return 3;
        });
        return cl;
    }

    private static String name(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }
}
