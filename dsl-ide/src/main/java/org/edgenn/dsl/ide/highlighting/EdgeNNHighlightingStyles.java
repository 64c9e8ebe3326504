package org.edgenn.dsl.ide.highlighting;

import java.util.List;

/**
 * Semantic highlighting style ids, beyond Xtext's lexical ones (keyword, number, comment...). An
 * editor maps each id to a colour; the Eclipse plugin and the LSP token legend use the same ids.
 */
public final class EdgeNNHighlightingStyles {
    public static final String OP = "edgenn.op";
    public static final String LAYER = "edgenn.layer";
    public static final String PARAM = "edgenn.param";
    /** inputs, labels, teachers and lets: values that flow through the network */
    public static final String VALUE = "edgenn.value";
    public static final String STATE = "edgenn.state";
    public static final String STEP = "edgenn.step";

    public static final List<String> ALL = List.of(OP, LAYER, PARAM, VALUE, STATE, STEP);

    private EdgeNNHighlightingStyles() {
    }
}
