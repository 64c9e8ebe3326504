package org.edgenn.dsl.validation;

import static org.edgenn.dsl.edgeNN.EdgeNNPackage.Literals.*;

import java.util.List;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EPackage;
import org.eclipse.xtext.validation.AbstractDeclarativeValidator;
import org.eclipse.xtext.validation.Check;
import org.eclipse.xtext.validation.EValidatorRegistrar;
import org.edgenn.dsl.edgeNN.Accelerator;
import org.edgenn.dsl.edgeNN.AcceleratorsItem;
import org.edgenn.dsl.edgeNN.EdgeNNPackage;
import org.edgenn.dsl.edgeNN.Explore;
import org.edgenn.dsl.edgeNN.ExploreBudget;
import org.edgenn.dsl.edgeNN.ExploreItem;
import org.edgenn.dsl.edgeNN.MemoryLevel;
import org.edgenn.dsl.edgeNN.Metric;
import org.edgenn.dsl.edgeNN.NetworksItem;
import org.edgenn.dsl.edgeNN.ObjectivesItem;
import org.edgenn.dsl.edgeNN.PeArea;
import org.edgenn.dsl.lowering.ExploreLowering;
import org.edgenn.dsl.lowering.Problems;
import org.edgenn.dsl.space.Families;
import org.edgenn.dsl.space.ParameterSpace;

/**
 * {@code explore} blocks: the block lowers (objectives, budgets, strategy, training), the families it
 * explores are declared in its file (their instances are written from its text) and have instances,
 * and an area objective or budget only names accelerators that declare their area.
 */
public class ExploreValidator extends AbstractDeclarativeValidator {

    @Override
    protected List<EPackage> getEPackages() {
        return List.of(EdgeNNPackage.eINSTANCE);
    }

    @Override
    public void register(EValidatorRegistrar registrar) {
        // composed into EdgeNNValidator, not registered on its own
    }

    @Check
    public void checkExploreLowers(Explore explore) {
        Problems problems = ExploreLowering.lower(explore).problems();
        for (Problems.Problem p : problems.all()) {
            if (p.severity() == Problems.Severity.ERROR) {
                error(p.message(), p.element(), p.feature(), p.index(), p.code());
            } else {
                warning(p.message(), p.element(), p.feature(), p.index(), p.code());
            }
        }
    }

    @Check
    public void checkExploredDesigns(Explore explore) {
        boolean needsArea = false;
        for (ExploreItem item : explore.getItems()) {
            if (item instanceof ObjectivesItem o) {
                needsArea |= o.getObjectives().contains("area");
            } else if (item instanceof ExploreBudget b) {
                needsArea |= b.getLimits().stream().anyMatch(l -> l.getMetric() == Metric.AREA);
            }
        }
        for (ExploreItem item : explore.getItems()) {
            if (item instanceof NetworksItem n) {
                for (int i = 0; i < n.getNetworks().size(); i++) {
                    checkDesign(n.getNetworks().get(i), explore, n, NETWORKS_ITEM__NETWORKS, i);
                }
            } else if (item instanceof AcceleratorsItem a) {
                for (int i = 0; i < a.getAccelerators().size(); i++) {
                    Accelerator acc = a.getAccelerators().get(i);
                    checkDesign(acc, explore, a, ACCELERATORS_ITEM__ACCELERATORS, i);
                    if (needsArea && acc != null && !acc.eIsProxy() && !declaresArea(acc)) {
                        error("accelerator " + acc.getName() + " declares no area (area per pe ..., and area ... on each "
                                + "on-chip memory), so area can be neither an objective nor a budget",
                                a, ACCELERATORS_ITEM__ACCELERATORS, i, IssueCodes.NO_AREA);
                    }
                }
            }
        }
    }

    private void checkDesign(EObject design, Explore explore, EObject item, org.eclipse.emf.ecore.EStructuralFeature f, int i) {
        if (design == null || design.eIsProxy() || !Families.isFamily(design)) {
            return;
        }
        if (design.eResource() != explore.eResource()) {
            error(Families.name(design) + " has parameters and is declared in another file; an explore block explores "
                    + "the families of its own file", item, f, i, IssueCodes.BAD_EXPLORE);
            return;
        }
        if (ParameterSpace.of(design).bindings().isEmpty()) {
            error("every instance of " + Families.name(design) + " is excluded by its domains and constraints: "
                    + "there is nothing to explore", item, f, i, IssueCodes.EMPTY_SPACE);
        }
    }

    private static boolean declaresArea(Accelerator a) {
        return a.getMembers().stream().anyMatch(PeArea.class::isInstance)
                || a.getMembers().stream().anyMatch(m -> m instanceof MemoryLevel ml && ml.getArea() != null);
    }
}
