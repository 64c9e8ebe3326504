package org.edgenn.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs the edgenn command in-process, capturing its output: what a user sees, and the exit code. */
record CliRun(int exit, String out, String err) {
    static final Path EXAMPLES = Path.of("..", "examples", "src", "main", "edgenn").toAbsolutePath().normalize();

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = EdgeNN.forArguments(args); // as the edgenn command builds it
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }
}
