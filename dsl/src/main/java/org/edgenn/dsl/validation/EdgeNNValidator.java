package org.edgenn.dsl.validation;

import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.*;

import com.google.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.validation.Check;
import org.edgenn.dsl.edgeNN.Accelerator;
import org.edgenn.dsl.edgeNN.BudgetSpec;
import org.edgenn.dsl.edgeNN.QuantSpec;
import org.edgenn.dsl.edgeNN.Compress;
import org.edgenn.dsl.edgeNN.CurriculumItem;
import org.edgenn.dsl.edgeNN.Element;
import org.edgenn.dsl.edgeNN.Import;
import org.edgenn.dsl.edgeNN.LayerDecl;
import org.edgenn.dsl.edgeNN.Limit;
import org.edgenn.dsl.edgeNN.Member;
import org.edgenn.dsl.edgeNN.Model;
import org.edgenn.dsl.edgeNN.Network;
import org.edgenn.dsl.edgeNN.ParamDecl;
import org.edgenn.dsl.edgeNN.Statement;
import org.edgenn.dsl.edgeNN.Symbol;
import org.edgenn.dsl.edgeNN.Training;
import org.edgenn.dsl.edgeNN.Unroll;
import org.edgenn.dsl.lowering.Names;
import org.edgenn.dsl.lowering.NetworkLowering;
import org.edgenn.dsl.lowering.Problems;
import org.edgenn.dsl.lowering.ProgramLowering;
import org.edgenn.dsl.lowering.TrainingLowering;
import org.edgenn.ir.Formats;
import org.edgenn.ir.graph.CurriculumPlan;
import org.edgenn.ir.graph.LayerStats;
import org.edgenn.ir.spec.Budget;

/**
 * The language's checks, one method per rule (parameters and explore blocks in the composed
 * {@link ParameterValidator} and {@link ExploreValidator}). Families (networks and accelerators with
 * parameters) are not lowered as written: their instances are, when explored. Shapes and everything else that needs the network
 * expanded are checked by lowering it; its problems are reported here on the text they concern.
 */
@org.eclipse.xtext.validation.ComposedChecks(validators = {ParameterValidator.class, ExploreValidator.class})
public class EdgeNNValidator extends AbstractEdgeNNValidator {

    @Inject
    private ProgramLowering lowering;

    @Check
    public void checkNetworkLowers(Network network) {
        if (org.edgenn.dsl.space.Families.isFamily(network)) {
            return;
        }
        NetworkLowering.Result result = lowering.lower(network);
        report(result.problems());
        if (result.network() != null) {
            checkPruning(network, result.network());
            checkCountBudgets(network, result.network());
            checkPrecisionsOnTargets(network);
        }
    }

    /** A width the accelerators named by the budgets cannot execute is an error at the width (edgenn map/build check --target). */
    private void checkPrecisionsOnTargets(Network ast) {
        for (Member m : ast.getMembers()) {
            if (!(m instanceof Compress c)) {
                continue;
            }
            java.util.Set<Accelerator> targets = new java.util.LinkedHashSet<>();
            c.getItems().stream().filter(BudgetSpec.class::isInstance).map(b -> ((BudgetSpec) b).getTarget())
                    .filter(t -> t != null && !t.eIsProxy() && !org.edgenn.dsl.space.Families.isFamily(t)).forEach(targets::add);
            for (Accelerator a : targets) {
                var spec = lowering.lower(a).accelerator();
                if (spec == null) {
                    continue;
                }
                for (var item : c.getItems()) {
                    if (item instanceof QuantSpec q && q.getUnknownWidth() == null && q.getPrecisionParam() == null) {
                        var width = org.edgenn.ir.ElementType.valueOf(q.getPrecision().getName());
                        if (!org.edgenn.ir.spec.Compression.executableOn(width, spec.macBits())) {
                            error(org.edgenn.ir.spec.Compression.unsupportedMessage(width, a.getName(), spec.macBits()),
                                    q, QUANT_SPEC__PRECISION, IssueCodes.UNSUPPORTED_PRECISION);
                        } else {
                            checkRegisters(q, width, a.getName(), spec);
                        }
                    }
                }
            }
        }
    }

    /**
     * A memory of the target that holds this width's operand (W for weights, I for activations) but not one element of
     * it (a 4-bit weight register and int8 weights): no mapping could ever use it, an error at the width.
     */
    private void checkRegisters(QuantSpec q, org.edgenn.ir.ElementType width, String accelerator,
                                org.edgenn.ir.accel.AcceleratorSpec spec) {
        org.edgenn.ir.accel.Operand op = q.getWhat() == org.edgenn.dsl.edgeNN.QuantTarget.WEIGHTS
                ? org.edgenn.ir.accel.Operand.W : org.edgenn.ir.accel.Operand.I;
        for (org.edgenn.ir.accel.MemoryLevel m : spec.levelsHolding(op)) {
            if (!m.isUnbounded() && m.sizeBytes() * 8 < width.bits()) {
                error(accelerator + "'s memory " + m.name() + " (" + m.sizeText() + ") holds " + op + " but not one "
                        + width.spelling() + " value: no mapping can use it (declare a wider memory or a narrower width)",
                        q, QUANT_SPEC__PRECISION, IssueCodes.UNSUPPORTED_PRECISION);
                return;
            }
        }
    }

    /**
     * A pruning the budget's target cannot exploit: an N:M unit runs only its own pattern, so other N:M patterns and
     * unstructured sparsity are charged dense there (a warning at the prune line: the file is valid, the saving is not).
     */
    private void checkPruningOnTargets(Network ast) {
        for (Member m : ast.getMembers()) {
            if (!(m instanceof Compress c)) {
                continue;
            }
            for (var item : c.getItems()) {
                if (!(item instanceof BudgetSpec b) || b.getTarget() == null || b.getTarget().eIsProxy()
                        || org.edgenn.dsl.space.Families.isFamily(b.getTarget())) {
                    continue;
                }
                org.edgenn.ir.accel.AcceleratorSpec acc = lowering.lower(b.getTarget()).accelerator();
                if (acc == null || acc.sparse().format() != org.edgenn.ir.accel.SparseSupport.Format.NM) {
                    continue;
                }
                for (var other : c.getItems()) {
                    if (other instanceof org.edgenn.dsl.edgeNN.PruneSpec ps && ps.getUnknownKind() == null
                            && ps.getStructure() != org.edgenn.dsl.edgeNN.PruneStructure.CHANNELS
                            && (ps.getM() == 0 || ps.getN() != acc.sparse().n() || ps.getM() != acc.sparse().m())) {
                        warning(acc.name() + "'s sparse unit runs " + acc.sparse().n() + ":" + acc.sparse().m()
                                + " only: these weights are charged dense on it", ps, null, IssueCodes.SPARSITY_UNSUPPORTED);
                    }
                }
            }
        }
    }

    /** What the pruning declarations cannot mean on this network (N:M groups, channel compaction), at the prune line. */
    private void checkPruning(Network ast, org.edgenn.ir.graph.Network ir) {
        checkPruningOnTargets(ast);
        for (org.edgenn.ir.graph.ChannelPruning.Problem p : org.edgenn.ir.graph.PruningCheck.of(ir)) {
            org.edgenn.dsl.edgeNN.PruneSpec spec = null;
            int index = -1;
            for (Member m : ast.getMembers()) {
                if (m instanceof Compress c) {
                    for (var item : c.getItems()) {
                        if (item instanceof org.edgenn.dsl.edgeNN.PruneSpec ps) {
                            for (int i = 0; i < ps.getLayers().size() && spec == null; i++) {
                                if (ps.getLayers().get(i).getName().equals(p.layer())) {
                                    spec = ps;
                                    index = i;
                                }
                            }
                            if (spec == null && ps.getLayers().isEmpty()) {
                                spec = ps;
                            }
                        }
                    }
                }
            }
            if (spec == null) {
                continue;
            }
            String code = p.nmGroups() ? IssueCodes.BAD_NM : IssueCodes.BAD_PRUNING;
            if (index >= 0) {
                error(p.message(), spec, PRUNE_SPEC__LAYERS, index, code);
            } else {
                error(p.message(), spec, null, code);
            }
        }
    }

    @Check
    public void checkAcceleratorLowers(Accelerator accelerator) {
        if (org.edgenn.dsl.space.Families.isFamily(accelerator)) {
            return;
        }
        report(lowering.lower(accelerator).problems());
    }

    @Check
    public void checkTrainingLowers(Training training) {
        TrainingLowering.Result result = lowering.lower(training);
        report(result.problems());
        if (result.training() != null && !org.edgenn.dsl.space.Families.isFamily(training.getNetwork())) {
            org.edgenn.ir.graph.Network net = lowering.lower(training.getNetwork()).network();
            if (net != null) {
                OperatorShapeCheck.check(training.getNetwork(), net, result.training().data(),
                        (message, init) -> error(message, init, OperatorShapeCheck.FEATURE, IssueCodes.BAD_TRAINING));
            }
        }
        if (result.training() != null && result.training().curriculum() != null
                && !org.edgenn.dsl.space.Families.isFamily(training.getNetwork())) {
            checkCurriculumPlan(training);
        }
    }

    /** The generator plans the curriculum's stages on the unrolled network; what it cannot plan is reported here. */
    private void checkCurriculumPlan(Training training) {
        org.edgenn.ir.graph.Network net = lowering.lower(training.getNetwork()).network();
        if (net == null) {
            return; // the network's own errors are reported on it
        }
        try {
            CurriculumPlan.of(net);
        } catch (IllegalArgumentException e) {
            training.getItems().stream().filter(CurriculumItem.class::isInstance).findFirst().ifPresent(item ->
                    error(e.getMessage(), item, CURRICULUM_ITEM__CURRICULUM, IssueCodes.BAD_CURRICULUM));
        }
    }

    /** Parameter, MAC and memory budgets are checked as you type; latency and energy need a mapping (edgenn check). */
    private void checkCountBudgets(Network ast, org.edgenn.ir.graph.Network ir) {
        List<LayerStats> rows = LayerStats.of(ir);
        Map<Budget.Metric, Long> actual = Map.of(Budget.Metric.PARAMS, LayerStats.totalParams(rows),
                Budget.Metric.MACS, LayerStats.totalMacs(rows),
                Budget.Metric.MEMORY, org.edgenn.ir.graph.MemoryFootprint.of(ir).totalBytes());
        for (Member m : ast.getMembers()) {
            if (!(m instanceof Compress c)) {
                continue;
            }
            for (var item : c.getItems()) {
                if (!(item instanceof BudgetSpec b)) {
                    continue;
                }
                for (Limit limit : b.getLimits()) {
                    Budget budget = ir.compression().budgets().stream()
                            .filter(x -> x.metric().name().equals(limit.getMetric().getName())
                                    && x.written().equals(org.edgenn.dsl.lowering.Quantities.written(limit.getValue())))
                            .findFirst().orElse(null);
                    Long value = budget == null ? null : actual.get(budget.metric());
                    if (value != null && !budget.admits(value)) {
                        String shown = budget.metric() == Budget.Metric.MEMORY ? Formats.bytes(value) : Formats.compactCount(value);
                        error(budget.violation(shown), limit, LIMIT__VALUE, IssueCodes.BUDGET_EXCEEDED);
                    }
                }
            }
        }
    }

    @Check
    public void checkUniqueNamesInNetwork(Network network) {
        Map<String, EObject> seen = new HashMap<>();
        for (Member m : network.getMembers()) {
            if (m instanceof Symbol s) {
                unique(seen, s, nameFeature(m));
            }
            if (m instanceof Unroll u) {
                for (Statement st : u.getBody()) {
                    if (st instanceof Symbol s && seen.containsKey(Names.of(s))) {
                        error("'" + Names.of(s) + "' is already declared in network " + network.getName(), st,
                                LET_DECL__NAME, IssueCodes.DUPLICATE_NAME);
                    }
                }
            }
        }
    }

    @Check
    public void checkUniqueTopLevelNames(Model model) {
        Map<String, EObject> seen = new HashMap<>();
        for (Element e : model.getElements()) {
            if (e instanceof Network n) {
                unique(seen, n, NETWORK__NAME);
            } else if (e instanceof Accelerator a) {
                unique(seen, a, ACCELERATOR__NAME);
            }
        }
    }

    private void unique(Map<String, EObject> seen, EObject element, EStructuralFeature nameFeature) {
        String name = Names.of(element);
        EObject first = seen.putIfAbsent(name, element);
        if (first != null) {
            String message = "'" + name + "' is declared twice";
            error(message, element, nameFeature, IssueCodes.DUPLICATE_NAME);
            if (first.eResource() == element.eResource()) {
                error(message, first, nameFeature(first), IssueCodes.DUPLICATE_NAME);
            }
        }
    }

    private static EStructuralFeature nameFeature(EObject e) {
        return e.eClass().getEStructuralFeature("name");
    }

    @Check
    public void checkEntryCounts(Member member) {
        EStructuralFeature count = member instanceof LayerDecl ? LAYER_DECL__COUNT
                : member instanceof ParamDecl ? PARAM_DECL__COUNT : null;
        if (count == null || org.edgenn.dsl.space.Families.isFamily(member.eContainer())) {
            return; // a family's counts may be parameters: its instances are checked
        }
        List<INode> written = NodeModelUtils.findNodesForFeature(member, count);
        if (!written.isEmpty() && (int) member.eGet(count) < 1) {
            error("a per-step layer or parameter has at least one entry", member, count, IssueCodes.BAD_COUNT);
        }
    }

    @Check
    public void checkImportExists(Import imp) {
        if (imp.getImportURI() == null || imp.eResource() == null || imp.eResource().getResourceSet() == null) {
            return;
        }
        URI uri = URI.createURI(imp.getImportURI());
        URI base = imp.eResource().getURI();
        if (uri.isRelative() && base != null && base.isHierarchical() && !base.isRelative()) {
            uri = uri.resolve(base);
        }
        if (!imp.eResource().getResourceSet().getURIConverter().exists(uri, null)) {
            error("cannot find imported file '" + imp.getImportURI() + "'", imp, IMPORT__IMPORT_URI, IssueCodes.MISSING_IMPORT);
        }
    }

    private void report(Problems problems) {
        for (Problems.Problem p : problems.all()) {
            if (p.element() == null || p.element().eResource() != getCurrentObject().eResource()) {
                continue;
            }
            if (p.severity() == Problems.Severity.ERROR) {
                error(p.message(), p.element(), p.feature(), p.index(), p.code());
            } else {
                warning(p.message(), p.element(), p.feature(), p.index(), p.code());
            }
        }
    }
}
