package org.edgenn.dsl.lowering;

import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.*;

import java.util.ArrayList;
import java.util.List;
import org.edgenn.dsl.edgeNN.BudgetSpec;
import org.edgenn.dsl.edgeNN.Compress;
import org.edgenn.dsl.edgeNN.CompressItem;
import org.edgenn.dsl.edgeNN.Granularity;
import org.edgenn.dsl.edgeNN.LayerDecl;
import org.edgenn.dsl.edgeNN.Limit;
import org.edgenn.dsl.edgeNN.PruneSpec;
import org.edgenn.dsl.edgeNN.PruneStructure;
import org.edgenn.dsl.edgeNN.QuantSpec;
import org.edgenn.dsl.edgeNN.QuantTarget;
import org.edgenn.dsl.edgeNN.Symbol;
import org.edgenn.dsl.validation.IssueCodes;
import org.edgenn.ir.ElementType;
import org.edgenn.ir.spec.Budget;
import org.edgenn.ir.spec.Compression;

/** Lowers a {@code compress} block: precisions, pruning and budgets, with units converted to base units. */
final class CompressionLowering {
    private CompressionLowering() {
    }

    static Compression lower(Compress c, Problems problems) {
        Compression.Quantization weights = null;
        Compression.Quantization activations = null;
        List<Compression.Pruning> pruning = new ArrayList<>();
        List<Budget> budgets = new ArrayList<>();
        List<Compression.Override> overrides = new ArrayList<>();
        for (CompressItem item : c.getItems()) {
            if (item instanceof QuantSpec q) {
                Compression.Quantization quant = quantization(q, problems);
                boolean forWeights = q.getWhat() == QuantTarget.WEIGHTS;
                if (!q.getTargets().isEmpty()) {
                    if (!hasDefault(c, q.getWhat())) {
                        problems.error(q, QUANT_SPEC__WHAT, IssueCodes.BAD_QUANT_TARGET, "an override needs the network's "
                                + q.getWhat().getLiteral() + " width first (e.g. " + q.getWhat().getLiteral() + " int8)");
                        continue;
                    }
                    for (Symbol s : q.getTargets()) {
                        if (quant != null && !s.eIsProxy()) {
                            overrides.add(new Compression.Override(forWeights, Names.of(s), quant));
                        }
                    }
                } else if ((forWeights ? weights : activations) != null) {
                    problems.error(q, QUANT_SPEC__WHAT, IssueCodes.DUPLICATE_QUANTIZATION, q.getWhat().getLiteral()
                            + " precision is given twice");
                } else if (forWeights) {
                    weights = quant;
                } else {
                    activations = quant;
                }
            } else if (item instanceof PruneSpec p) {
                Compression.Pruning prune = pruning(p, problems);
                if (prune != null) {
                    pruning.add(prune);
                }
            } else if (item instanceof BudgetSpec b) {
                for (int i = 0; i < b.getLimits().size(); i++) {
                    Budget budget = budget(b, b.getLimits().get(i), problems);
                    if (budget != null) {
                        budgets.add(budget);
                    }
                }
            }
        }
        return new Compression(weights, activations, pruning, budgets, overrides);
    }

    private static boolean hasDefault(Compress c, QuantTarget what) {
        return c.getItems().stream().anyMatch(i -> i instanceof QuantSpec q && q.getWhat() == what && q.getTargets().isEmpty());
    }

    /**
     * Every override must name something of its kind: {@code weights ... on X} a layer (or a let holding layers)
     * whose weights the network has, {@code activations ... on X} a value the network computes.
     */
    static void checkOverrides(Compress c, List<String> weightLayers, List<String> nodes, Problems problems) {
        for (CompressItem item : c.getItems()) {
            if (!(item instanceof QuantSpec q)) {
                continue;
            }
            boolean forWeights = q.getWhat() == QuantTarget.WEIGHTS;
            for (int i = 0; i < q.getTargets().size(); i++) {
                Symbol s = q.getTargets().get(i);
                if (s.eIsProxy()) {
                    continue;
                }
                String name = Names.of(s);
                boolean found = (forWeights ? weightLayers : nodes).stream().anyMatch(n -> Compression.names(name, n));
                if (!found) {
                    problems.error(q, QUANT_SPEC__TARGETS, i, IssueCodes.BAD_QUANT_TARGET, forWeights
                            ? "'" + name + "' has no weights: weights ... on names a layer (or a let computing one)"
                            : "'" + name + "' is no computed value: activations ... on names a let, state or layer");
                }
            }
        }
    }

    private static Compression.Quantization quantization(QuantSpec q, Problems problems) {
        if (q.getUnknownWidth() != null) {
            problems.error(q, QUANT_SPEC__UNKNOWN_WIDTH, IssueCodes.BAD_PRECISION, "'" + q.getUnknownWidth()
                    + "' is no width EdgeNN quantizes to: " + q.getWhat().getLiteral() + " are int2, int4, int8 or int16");
            return null;
        }
        if (q.getPrecisionParam() != null) {
            return null; // a family's parameter: its instances are lowered
        }
        ElementType type = ElementType.valueOf(q.getPrecision().getName());
        if (!Compression.QUANTIZED.contains(type)) {
            problems.error(q, QUANT_SPEC__PRECISION, IssueCodes.BAD_PRECISION, q.getWhat().getLiteral()
                    + " can be quantized to int2, int4, int8 or int16, not " + q.getPrecision().getLiteral());
            return null;
        }
        boolean activations = q.getWhat() == QuantTarget.ACTIVATIONS;
        boolean perChannel = Written.isWritten(q, QUANT_SPEC__GRANULARITY) ? q.getGranularity() == Granularity.PER_CHANNEL : !activations;
        if (activations && perChannel) {
            problems.error(q, QUANT_SPEC__GRANULARITY, IssueCodes.BAD_PRECISION,
                    "activations are quantized per tensor (one scale and zero point per tensor)");
            return null;
        }
        return new Compression.Quantization(type, perChannel, Sources.of(q));
    }

    private static Compression.Pruning pruning(PruneSpec p, Problems problems) {
        boolean nm = Written.isWritten(p, PRUNE_SPEC__M);
        if (!nm && p.getUnknownKind() != null) {
            problems.error(p, PRUNE_SPEC__UNKNOWN_KIND, IssueCodes.UNKNOWN_PRUNE_KIND, "unknown prune kind '" + p.getUnknownKind()
                    + "': prune N% unstructured, prune N% channels, or prune N:M (e.g. prune 2:4)");
            return null;
        }
        if (nm && (p.getN() < 1 || p.getN() >= p.getM())) {
            problems.error(p, PRUNE_SPEC__N, IssueCodes.BAD_NM, "N:M pruning keeps N of every M weights, 1 <= N < M; got "
                    + p.getN() + ":" + p.getM());
            return null;
        }
        if (!nm && (p.getAmount() <= 0 || p.getAmount() >= 100)) {
            problems.error(p, PRUNE_SPEC__AMOUNT, IssueCodes.BAD_PRUNING, "prune between 1% and 99%, got " + p.getAmount() + "%");
            return null;
        }
        List<String> layers = new ArrayList<>();
        for (int i = 0; i < p.getLayers().size(); i++) {
            LayerDecl l = p.getLayers().get(i);
            if (l.eIsProxy()) {
                continue;
            }
            if (l.isFixed()) {
                problems.error(p, PRUNE_SPEC__LAYERS, i, IssueCodes.BAD_PRUNING, "layer " + l.getName()
                        + " is fixed: it has no trained weights to prune");
                return null;
            }
            layers.add(l.getName());
        }
        if (nm) {
            return Compression.Pruning.nm(p.getN(), p.getM(), layers);
        }
        var structure = p.getStructure() == PruneStructure.CHANNELS ? Compression.Pruning.Structure.CHANNELS
                : Compression.Pruning.Structure.UNSTRUCTURED;
        return new Compression.Pruning(p.getAmount() / 100.0, structure, layers);
    }

    /** A budget of an explore block: it applies to every candidate, on the candidate's own accelerator. */
    static Budget exploreBudget(Limit limit, Problems problems) {
        return convert(limit, Budget.Metric.valueOf(limit.getMetric().getName()), null, problems);
    }

    private static Budget budget(BudgetSpec spec, Limit limit, Problems problems) {
        Budget.Metric metric = Budget.Metric.valueOf(limit.getMetric().getName());
        String target = !metric.needsTarget() || spec.getTarget() == null || spec.getTarget().eIsProxy() ? null
                : spec.getTarget().getName();
        Budget budget = convert(limit, metric, target, problems);
        if (budget != null && metric.needsTarget() && spec.getTarget() == null) {
            problems.error(limit, LIMIT__METRIC, IssueCodes.BUDGET_NEEDS_TARGET, "a " + metric.spelling()
                    + " budget needs a target accelerator: budget ... on NAME");
            return null;
        }
        return budget;
    }

    private static Budget convert(Limit limit, Budget.Metric metric, String target, Problems problems) {
        Units units = switch (metric) {
            case PARAMS, MACS -> Units.COUNT;
            case LATENCY -> Units.TIME;
            case ENERGY -> Units.ENERGY;
            case AREA -> Units.AREA;
            case MEMORY -> Units.BYTES;
        };
        if (limit.getValue() == null) {
            return null;
        }
        Double base = Quantities.convert(limit.getValue(), units, metric.spelling(), problems);
        if (base == null) {
            return null;
        }
        return new Budget(metric, base, Quantities.written(limit.getValue()), target, Sources.of(limit.getValue()));
    }
}
