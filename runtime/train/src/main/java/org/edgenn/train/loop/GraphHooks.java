package org.edgenn.train.loop;

import org.nd4j.autodiff.samediff.SameDiff;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-graph registry of stateful training helpers (activation observers, pruning masks). Building blocks such
 * as {@code FakeQuant.activations} and {@code Pruning.magnitude} register a hook on the graph they extend, and
 * the {@link Trainer} calls every hook of its graph around each optimizer step, so generated code never has
 * to wire them by hand.
 */
public final class GraphHooks {
    /** A stateful helper driven by the training loop. All methods default to no-ops. */
    public interface Hook {
        /** Called before the optimizer step of global iteration {@code step} (0-based). */
        default void beforeStep(SameDiff sd, long step) {}
        /** Called after the optimizer step (parameters already updated). */
        default void afterStep(SameDiff sd, long step) {}
    }

    private static final PerGraph<SameDiff, List<Hook>> HOOKS = new PerGraph<>();

    private GraphHooks() {}

    public static void register(SameDiff sd, Hook hook) {
        List<Hook> l = HOOKS.computeIfAbsent(sd, ArrayList::new);
        synchronized (l) { l.add(hook); }
    }

    public static List<Hook> of(SameDiff sd) {
        List<Hook> l = HOOKS.get(sd);
        if (l == null) return List.of();
        synchronized (l) { return List.copyOf(l); }
    }

    @SuppressWarnings("unchecked")
    public static <T extends Hook> List<T> of(SameDiff sd, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Hook h : of(sd)) if (type.isInstance(h)) out.add((T) h);
        return out;
    }
}
