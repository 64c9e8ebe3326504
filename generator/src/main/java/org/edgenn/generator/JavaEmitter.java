package org.edgenn.generator;


/**
 * Line-by-line writing of a generated Java class with four-space indentation, shared by the
 * generators (trainers, int8 inference): {@link #open} writes a line and indents what follows,
 * {@link #close} un-indents and writes a line.
 */
public abstract class JavaEmitter {
    protected final StringBuilder b = new StringBuilder();
    protected int indent;

    /** {@code <Network><suffix>}: the generated class of a network, e.g. {@code ListaTrainer}, {@code ListaInt8}. */
    public static String className(String network, String suffix) {
        String s = JavaNames.sanitize(network);
        return Character.toUpperCase(s.charAt(0)) + s.substring(1) + suffix;
    }

    protected void line(String s) {
        if (s.isEmpty()) {
            b.append('\n');
        } else {
            b.append("    ".repeat(indent)).append(s).append('\n');
        }
    }

    protected void open(String s) {
        line(s);
        indent++;
    }

    protected void close(String s) {
        indent--;
        line(s);
    }
}
