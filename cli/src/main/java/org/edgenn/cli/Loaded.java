package org.edgenn.cli;

import java.io.PrintWriter;
import java.util.List;
import org.edgenn.dsl.workspace.InputFiles;
import org.edgenn.dsl.workspace.Workspace;
import org.edgenn.generator.pipeline.CheckStage;
import org.edgenn.ir.Diagnostic;

/**
 * The pipeline's check stage as the command line runs it: files named on the command line loaded and validated
 * (the front end's part, through dsl's {@link Workspace}), then {@link CheckStage}; diagnostics printed, and an exit
 * code when the command cannot go on (bad usage, errors in the input). Shared by every command that reads .edgenn
 * files. {@code checked} is null when loading failed.
 */
record Loaded(Workspace workspace, CheckStage.Checked checked, Integer exit) {

    /** Loads and validates, without budget checks (the commands that search a mapping judge budgets on it). */
    static Loaded check(List<String> arguments, PrintWriter err) {
        return check(arguments, err, new CheckStage(false));
    }

    /**
     * Loads, validates and runs {@code stage}. Only the loading diagnostics are printed here; the stage's own (budgets)
     * are the caller's to print after its tables.
     */
    static Loaded check(List<String> arguments, PrintWriter err, CheckStage stage) {
        InputFiles.Expansion expansion = InputFiles.expand(arguments);
        for (String none : expansion.unmatched()) {
            err.println("edgenn: error: " + (none.isBlank() ? "an empty argument names no .edgenn file"
                    : "no .edgenn files match " + none));
        }
        // any argument that names nothing is bad usage, even when others matched: the error used to be printed and
        // the command went on to exit 0 without the files the user meant
        if (!expansion.unmatched().isEmpty()) {
            err.flush();
            return new Loaded(null, null, EdgeNN.USAGE);
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
            return new Loaded(ws, null, allMissing ? EdgeNN.USAGE : EdgeNN.INPUT_ERRORS);
        }
        err.flush();
        CheckStage.Checked checked = stage.run(new CheckStage.Input(ws.diagnostics(), ws.program(), ws::isNamed));
        return new Loaded(ws, checked, unreadable ? EdgeNN.INPUT_ERRORS : null);
    }

    /** The diagnostics the check stage added to the loaded ones (budgets a quick mapping exceeds). */
    List<Diagnostic> stageDiagnostics() {
        return checked.diagnostics().subList(workspace.diagnostics().size(), checked.diagnostics().size());
    }
}
