package org.edgenn.dsl.ide;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eclipse.xtext.diagnostics.Severity;
import org.edgenn.dsl.ide.editor.EditorDocument;

/**
 * Editor responsiveness on a generated 500-line model: what one keystroke costs (reparse +
 * full validation, which lowers the whole network) and a completion request in the middle of
 * the file. Medians after warm-up, in milliseconds. {@link #main} runs 50 + 50 (the figures in docs/BENCHMARKS.md);
 * EditorResponsivenessTest runs a short version in the build to keep the path working, without judging time.
 */
public final class EditorBenchmark {

    public record Result(int lines, double validateMs, double completeMs) {
    }

    /** A valid network of {@code lines} lines: a chain of dense layers and activations, with comments. */
    public static String model(int lines) {
        StringBuilder b = new StringBuilder("// generated for the editor benchmark\nnetwork Big {\n  input y: f32[64]\n");
        int used = 3;
        String prev = "y";
        int i = 0;
        while (used < lines - 3) {
            b.append("  layer L").append(i).append(" = dense(64 -> 64, bias=false, init=he)   // layer ").append(i).append('\n');
            b.append("  let v").append(i).append(" = relu(L").append(i).append('(').append(prev).append("))\n");
            prev = "v" + i;
            i++;
            used += 2;
        }
        b.append("  output ").append(prev).append("\n  compress { budget params < 10M }\n}\n");
        return b.toString();
    }

    public static Result measure(int lines, int warmup, int runs) {
        String text = model(lines);
        EditorDocument doc = Editors.open(text);
        if (doc.validate().stream().anyMatch(i -> i.getSeverity() == Severity.ERROR)) {
            throw new IllegalStateException("the benchmark model must be valid: " + doc.validate());
        }
        // a keystroke in the middle of the file: bias=false <-> bias=true on one layer, so every run
        // reparses and revalidates a changed (and valid) text
        int mid = text.indexOf("bias=false", text.indexOf("layer L" + (lines / 4) + " "));
        int completeAt = text.indexOf("init=he", mid) - 1; // after "bias=false, "
        List<Double> validate = new ArrayList<>();
        List<Double> complete = new ArrayList<>();
        for (int r = 0; r < warmup + runs; r++) {
            String edited = r % 2 == 0 ? text.substring(0, mid) + "bias=true " + text.substring(mid + "bias=false".length()) : text;
            long t0 = System.nanoTime();
            doc.setText(edited);
            int issues = doc.validate().size();
            long t1 = System.nanoTime();
            int proposals = doc.complete(completeAt).size();
            long t2 = System.nanoTime();
            if (issues != 0 || proposals == 0) {
                throw new IllegalStateException("unexpected: " + issues + " issues, " + proposals + " proposals");
            }
            if (r >= warmup) {
                validate.add((t1 - t0) / 1e6);
                complete.add((t2 - t1) / 1e6);
            }
        }
        return new Result(model(lines).split("\n").length, median(validate), median(complete));
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    public static void main(String[] args) {
        Result r = measure(500, 50, 50);
        System.out.printf("lines=%d  validate (reparse + validate) median %.1f ms  completion median %.1f ms%n",
                r.lines(), r.validateMs(), r.completeMs());
    }
}
