package org.edgenn.generator.training;

import java.nio.file.Path;
import org.edgenn.generator.JavaEmitter;
import org.edgenn.generator.JavaLiterals;
import org.edgenn.ir.Shape;
import org.edgenn.ir.SourceRef;

/** The text of one generated trainer, shared by its emitters, and the literals they write. */
class TrainerWriter extends JavaEmitter {

    @Override
    public void line(String s) {
        super.line(s);
    }

    @Override
    public void open(String s) {
        super.open(s);
    }

    @Override
    public void close(String s) {
        super.close(s);
    }

    /** One more level of indentation for what follows (a {@code } catch (...) {} block closed by {@link #close}). */
    void indent() {
        indent++;
    }

    String text() {
        return b.toString();
    }

    static String str(String s) {
        return JavaLiterals.str(s);
    }

    static String num(double v) {
        return JavaLiterals.num(v);
    }

    static String dims(long... d) {
        return JavaLiterals.dims(d);
    }

    static String dims(Shape s) {
        return JavaLiterals.dims(s);
    }

    /** {@code lista.edgenn:14}, the source position comments name. */
    static String where(SourceRef r) {
        if (r == null || r.file().isEmpty()) {
            return "";
        }
        return Path.of(r.file()).getFileName() + ":" + r.line();
    }
}
