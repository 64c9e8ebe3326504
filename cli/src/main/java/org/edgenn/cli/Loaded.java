package org.edgenn.cli;

import java.io.PrintWriter;
import java.util.List;
import org.edgenn.dsl.workspace.InputFiles;
import org.edgenn.dsl.workspace.Workspace;
import org.edgenn.ir.Diagnostic;

/**
 * Files named on the command line, loaded and validated: diagnostics printed, and an exit code
 * when the command cannot go on (bad usage, errors in the input). Shared by every command that
 * reads .edgenn files.
 */
record Loaded(Workspace workspace, Integer exit) {

    static Loaded check(List<String> arguments, PrintWriter err) {
        InputFiles.Expansion expansion = InputFiles.expand(arguments);
        for (String none : expansion.unmatched()) {
            err.println("edgenn: error: no .edgenn files match " + none);
        }
        if (!expansion.unmatched().isEmpty() && expansion.files().isEmpty()) {
            err.flush();
            return new Loaded(null, EdgeNN.USAGE);
        }
        Workspace ws = new Workspace();
        boolean unreadable = false;
        for (var f : expansion.files()) {
            unreadable |= !ws.load(f);
        }
        ws.validateImports();
        ws.diagnostics().forEach(err::println);
        if (ws.hasErrors()) {
            long errors = ws.diagnostics().stream().filter(Diagnostic::error).count();
            err.println(errors + " error" + (errors == 1 ? "" : "s"));
            err.flush();
            boolean allMissing = expansion.files().stream().noneMatch(java.nio.file.Files::exists);
            return new Loaded(ws, allMissing ? EdgeNN.USAGE : EdgeNN.INPUT_ERRORS);
        }
        err.flush();
        return new Loaded(ws, unreadable ? EdgeNN.INPUT_ERRORS : null);
    }
}
