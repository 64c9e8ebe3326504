package org.edgenn.generator.report;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * A small writer of well-formed XHTML (which every browser reads as HTML and every XML parser can check): elements
 * are opened and closed in order, text and attribute values are escaped, empty elements are self-closed. Inline SVG
 * is written with the same calls (its elements are just elements).
 */
public final class Html {
    /** HTML's void elements, which must not have a closing tag. */
    private static final Set<String> VOID = Set.of("meta", "br", "hr", "img", "link", "col");

    private final StringBuilder out = new StringBuilder();
    private final Deque<String> open = new ArrayDeque<>();

    /** Opens {@code tag} with attributes given as name, value pairs (a null value omits the attribute). */
    public Html open(String tag, String... attributes) {
        indent();
        start(tag, attributes);
        out.append(">\n");
        open.push(tag);
        return this;
    }

    /** Closes the innermost open element. */
    public Html close() {
        String tag = open.pop();
        indent();
        out.append("</").append(tag).append(">\n");
        return this;
    }

    /** {@code <tag attributes>text</tag>} on one line; a void element or one without text is self-closed. */
    public Html element(String tag, String text, String... attributes) {
        indent();
        start(tag, attributes);
        if (text == null || text.isEmpty()) {
            out.append(VOID.contains(tag) ? " />\n" : "></" + tag + ">\n");
        } else if (VOID.contains(tag)) {
            throw new IllegalArgumentException("<" + tag + "> cannot hold text");
        } else {
            out.append('>').append(escape(text)).append("</").append(tag).append(">\n");
        }
        return this;
    }

    /** Escaped text inside the current element. */
    public Html text(String text) {
        indent();
        out.append(escape(text)).append('\n');
        return this;
    }

    /**
     * Text of a {@code <style>} element, unescaped: in HTML style content is raw text, so it must not hold the
     * characters that XML would need escaped.
     */
    public Html css(String css) {
        if (css.indexOf('<') >= 0 || css.indexOf('&') >= 0 || css.indexOf('>') >= 0) {
            throw new IllegalArgumentException("style text must not contain <, > or &");
        }
        indent();
        out.append("<style>\n").append(css).append("</style>\n");
        return this;
    }

    /** The document, with the doctype; every element must be closed. */
    public String document() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("unclosed elements: " + open);
        }
        return "<!DOCTYPE html>\n" + out;
    }

    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    // XML 1.0 forbids most control characters even as references: drop them
                    if (c >= 0x20 || c == '\n' || c == '\t' || c == '\r') {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    private void start(String tag, String[] attributes) {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name, value pairs: " + String.join(", ", attributes));
        }
        out.append('<').append(tag);
        for (int i = 0; i < attributes.length; i += 2) {
            if (attributes[i + 1] != null) {
                out.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1])).append('"');
            }
        }
    }

    private void indent() {
        out.append("  ".repeat(open.size()));
    }
}
