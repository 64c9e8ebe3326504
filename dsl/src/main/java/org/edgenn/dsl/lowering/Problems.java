package org.edgenn.dsl.lowering;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;

/**
 * Problems found while lowering, each anchored to the AST element (and feature) it concerns, so
 * the validator can report it on the right text range. Lowering never throws on bad input.
 */
public final class Problems {
    public enum Severity { ERROR, WARNING }

    /** @param index position within a many-valued feature, or -1 */
    public record Problem(Severity severity, EObject element, EStructuralFeature feature, int index, String code,
                          String message) {
    }

    private final List<Problem> problems = new ArrayList<>();

    public void error(EObject element, EStructuralFeature feature, int index, String code, String message) {
        add(new Problem(Severity.ERROR, element, feature, index, code, message));
    }

    public void error(EObject element, EStructuralFeature feature, String code, String message) {
        error(element, feature, -1, code, message);
    }

    public void error(EObject element, String code, String message) {
        error(element, null, -1, code, message);
    }

    public void warning(EObject element, EStructuralFeature feature, String code, String message) {
        add(new Problem(Severity.WARNING, element, feature, -1, code, message));
    }

    /** Unrolled steps lower the same text many times: each problem is reported once. */
    private void add(Problem p) {
        if (!problems.contains(p)) {
            problems.add(p);
        }
    }

    public boolean hasErrors() {
        return problems.stream().anyMatch(p -> p.severity() == Severity.ERROR);
    }

    public List<Problem> all() {
        return List.copyOf(problems);
    }
}
