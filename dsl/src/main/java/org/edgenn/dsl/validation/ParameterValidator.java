package org.edgenn.dsl.validation;

import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.*;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EPackage;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.GrammarUtil;
import org.eclipse.xtext.RuleCall;
import org.eclipse.xtext.nodemodel.ILeafNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.validation.AbstractDeclarativeValidator;
import org.eclipse.xtext.validation.Check;
import org.eclipse.xtext.validation.EValidatorRegistrar;
import org.edgenn.dsl.edgeNN.Accelerator;
import org.edgenn.dsl.edgeNN.ArithParam;
import org.edgenn.dsl.edgeNN.Constraint;
import org.edgenn.dsl.edgeNN.EdgeNNPackage;
import org.edgenn.dsl.edgeNN.Model;
import org.edgenn.dsl.edgeNN.Network;
import org.edgenn.dsl.edgeNN.NumberChoice;
import org.edgenn.dsl.edgeNN.Parameter;
import org.edgenn.dsl.edgeNN.PrecisionChoice;
import org.edgenn.dsl.edgeNN.RangeDomain;
import org.edgenn.dsl.edgeNN.SetDomain;
import org.edgenn.dsl.space.Families;
import org.edgenn.dsl.space.ParameterSpace;

/**
 * Parameters of network and accelerator families: well-formed domains, unique names, constraints
 * over declared parameters that some binding satisfies, and every {@code $name} used where its
 * kind fits (a whole number where a count goes, a boolean in {@code [n if $b]}, a precision after
 * {@code weights}).
 */
public class ParameterValidator extends AbstractDeclarativeValidator {

    @Override
    protected java.util.List<EPackage> getEPackages() {
        return java.util.List.of(EdgeNNPackage.eINSTANCE);
    }

    @Override
    public void register(EValidatorRegistrar registrar) {
        // composed into EdgeNNValidator, not registered on its own
    }

    @Check
    public void checkNetworkParameters(Network network) {
        checkFamily(network);
    }

    @Check
    public void checkAcceleratorParameters(Accelerator accelerator) {
        checkFamily(accelerator);
    }

    private void checkFamily(EObject family) {
        if (!Families.isFamily(family)) {
            return;
        }
        Map<String, Parameter> seen = new HashMap<>();
        boolean domainsOk = true;
        for (Parameter p : Families.parameters(family)) {
            Parameter first = seen.putIfAbsent(p.getName(), p);
            if (first != null) {
                error("parameter " + p.getName() + " is declared twice", p, PARAMETER__NAME, IssueCodes.DUPLICATE_PARAMETER);
            }
            domainsOk &= checkDomain(p);
        }
        for (Constraint c : Families.constraints(family)) {
            for (ArithParam ref : EcoreUtil2.eAllOfType(c, ArithParam.class)) {
                if (!seen.containsKey(ref.getName())) {
                    error("unknown parameter " + ref.getName() + "; the family declares "
                            + String.join(", ", seen.keySet()), ref, ARITH_PARAM__NAME, IssueCodes.UNKNOWN_PARAMETER);
                    domainsOk = false;
                }
            }
        }
        Set<String> used = usedParameters(family);
        for (Parameter p : Families.parameters(family)) {
            if (!used.contains(p.getName())) {
                warning("parameter " + p.getName() + " is not used in " + Families.name(family), p, PARAMETER__NAME,
                        IssueCodes.UNUSED_PARAMETER);
            }
        }
        if (domainsOk && !Families.constraints(family).isEmpty() && ParameterSpace.of(family).bindings().isEmpty()) {
            error("no value of the parameters satisfies the constraints: " + Families.name(family) + " has no instance",
                    Families.constraints(family).get(0), null, IssueCodes.EMPTY_SPACE);
        }
    }

    private boolean checkDomain(Parameter p) {
        if (p.getDomain() instanceof RangeDomain r) {
            boolean hasStep = r.eIsSet(RANGE_DOMAIN__STEP);
            if (r.getStepWord() != null && !r.getStepWord().equals("step")) {
                error("unknown word '" + r.getStepWord() + "'; a range is written 4..32 step 4", r, RANGE_DOMAIN__STEP_WORD,
                        IssueCodes.BAD_DOMAIN);
                return false;
            }
            if (hasStep && r.getStep() <= 0) {
                error("the step of a range is positive", r, RANGE_DOMAIN__STEP, IssueCodes.BAD_DOMAIN);
                return false;
            }
            if (r.getFrom() > r.getTo()) {
                error("an empty range: " + ParameterSpace.text(r.getFrom()) + " is above " + ParameterSpace.text(r.getTo()),
                        r, RANGE_DOMAIN__TO, IssueCodes.BAD_DOMAIN);
                return false;
            }
            if ((r.getTo() - r.getFrom()) / (hasStep ? r.getStep() : 1) >= ParameterSpace.MAX_VALUES) {
                error("a range of more than " + ParameterSpace.MAX_VALUES + " values; use a larger step", r,
                        hasStep ? RANGE_DOMAIN__STEP : RANGE_DOMAIN__TO, IssueCodes.BAD_DOMAIN);
                return false;
            }
        } else if (p.getDomain() instanceof SetDomain s) {
            boolean numbers = s.getValues().stream().anyMatch(NumberChoice.class::isInstance);
            boolean precisions = s.getValues().stream().anyMatch(PrecisionChoice.class::isInstance);
            if (numbers && precisions) {
                error("a set holds numbers or precisions, not both", s, null, IssueCodes.BAD_DOMAIN);
                return false;
            }
            Set<String> values = new HashSet<>();
            for (int i = 0; i < s.getValues().size(); i++) {
                var v = s.getValues().get(i);
                String text = v instanceof NumberChoice n ? ParameterSpace.text(n.getValue())
                        : ((PrecisionChoice) v).getPrecision().getLiteral();
                if (!values.add(text)) {
                    error("value " + text + " is listed twice", s, SET_DOMAIN__VALUES, i, IssueCodes.BAD_DOMAIN);
                }
            }
        }
        return true;
    }

    /** Every use of {@code $name} in a model: declared by the enclosing family and of a fitting kind. */
    @Check
    public void checkParameterUses(Model model) {
        var node = NodeModelUtils.getNode(model);
        if (node == null) {
            return;
        }
        for (ILeafNode leaf : node.getLeafNodes()) {
            if (leaf.isHidden() || !leaf.getText().startsWith("$")) {
                continue;
            }
            EObject at = NodeModelUtils.findActualSemanticObjectFor(leaf);
            if (at instanceof Parameter || at instanceof ArithParam) {
                continue; // declarations and constraints: checked with the family
            }
            EObject family = EcoreUtil2.getContainerOfType(at, Network.class);
            if (family == null) {
                family = EcoreUtil2.getContainerOfType(at, Accelerator.class);
            }
            String name = leaf.getText();
            if (family == null) {
                acceptError("parameters belong to a network or an accelerator; " + name + " cannot be used here",
                        at, leaf.getOffset(), leaf.getLength(), IssueCodes.UNKNOWN_PARAMETER);
                continue;
            }
            ParameterSpace.Param p = Families.isFamily(family) ? ParameterSpace.of(family).param(name) : null;
            if (p == null) {
                acceptError("unknown parameter " + name + (Families.isFamily(family) ? "" : "; declare it with its domain: "
                        + (family instanceof Network ? "network " : "accelerator ") + Families.name(family) + "(" + name
                        + ": {...})"), at, leaf.getOffset(), leaf.getLength(), IssueCodes.UNKNOWN_PARAMETER);
                continue;
            }
            String need = needs(leaf);
            String problem = fits(p, need);
            if (problem != null) {
                acceptError(name + " " + problem, at, leaf.getOffset(), leaf.getLength(), IssueCodes.BAD_PARAMETER_USE);
            }
        }
    }

    /** What the place of a parameter needs: "count", "number", "bool" or "precision". */
    private static String needs(ILeafNode leaf) {
        if (!(leaf.getGrammarElement() instanceof RuleCall rc)) {
            return "number";
        }
        String rule = GrammarUtil.containingRule(rc).getName();
        switch (rule) {
            case "Count": return "count";
            case "LayerDecl":
            case "ParamDecl": return "bool";
            case "QuantSpec": return "precision";
            default: return "number";
        }
    }

    private static String fits(ParameterSpace.Param p, String need) {
        switch (need) {
            case "bool":
                return p.kind() == ParameterSpace.Kind.BOOL ? null : "is not a boolean (declare it $name: bool)";
            case "precision":
                return p.kind() == ParameterSpace.Kind.PRECISION ? null
                        : "is not a precision (declare it with a set of precisions: {int4, int8})";
            case "count":
                if (p.kind() != ParameterSpace.Kind.NUMBER) {
                    return "is not a number";
                }
                return p.integral() ? null : "takes values that are not whole numbers, where a whole number is needed";
            default:
                return p.kind() == ParameterSpace.Kind.NUMBER ? null : "is not a number";
        }
    }

    private static Set<String> usedParameters(EObject family) {
        Set<String> used = new HashSet<>();
        for (ILeafNode leaf : NodeModelUtils.getNode(family).getLeafNodes()) {
            if (!leaf.isHidden() && leaf.getText().startsWith("$")) {
                EObject at = NodeModelUtils.findActualSemanticObjectFor(leaf);
                if (!(at instanceof Parameter)) {
                    used.add(leaf.getText());
                }
            }
        }
        return used;
    }

    private void acceptError(String message, EObject at, int offset, int length, String code) {
        getMessageAcceptor().acceptError(message, at, offset, length, code);
    }
}
