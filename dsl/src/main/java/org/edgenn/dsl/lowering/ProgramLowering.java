package org.edgenn.dsl.lowering;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.util.IResourceScopeCache;
import org.eclipse.xtext.util.Tuples;
import org.edgenn.dsl.edgeNN.Accelerator;
import org.edgenn.dsl.edgeNN.Element;
import org.edgenn.dsl.edgeNN.Model;
import org.edgenn.dsl.edgeNN.Network;
import org.edgenn.dsl.edgeNN.Training;
import org.edgenn.ir.graph.Program;

/**
 * The entry point of lowering: networks, accelerators and training specs of parsed files to the IR.
 * Results are cached per resource (and dropped when its text changes), so validation and the
 * tools lower each network once.
 */
@Singleton
public class ProgramLowering {

    @Inject
    private IResourceScopeCache cache;

    /** Guards against teacher cycles (A distils from B, B from A) while lowering. */
    private final ThreadLocal<Set<Network>> inProgress = ThreadLocal.withInitial(HashSet::new);

    public NetworkLowering.Result lower(Network network) {
        Resource r = network.eResource();
        if (r == null) {
            return compute(network);
        }
        return cache.get(Tuples.pair(ProgramLowering.class, network), r, () -> compute(network));
    }

    private NetworkLowering.Result compute(Network network) {
        if (org.edgenn.dsl.space.Families.isFamily(network)) {
            return new NetworkLowering.Result(null, new Problems()); // a design space: only its instances lower
        }
        if (!inProgress.get().add(network)) {
            return new NetworkLowering.Result(null, new Problems());
        }
        try {
            return NetworkLowering.lower(network, teacher -> lower(teacher).network());
        } finally {
            inProgress.get().remove(network);
        }
    }

    public AcceleratorLowering.Result lower(Accelerator accelerator) {
        if (org.edgenn.dsl.space.Families.isFamily(accelerator)) {
            return new AcceleratorLowering.Result(null, new Problems());
        }
        Resource r = accelerator.eResource();
        return r == null ? AcceleratorLowering.lower(accelerator)
                : cache.get(Tuples.pair(ProgramLowering.class, accelerator), r, () -> AcceleratorLowering.lower(accelerator));
    }

    public TrainingLowering.Result lower(Training training) {
        return TrainingLowering.lower(training);
    }

    /**
     * Lowers every model of a resource set (the files loaded and those their imports brought in),
     * each file once even when it was reached under two spellings of its path.
     */
    public Program lowerAll(org.eclipse.emf.ecore.resource.ResourceSet resources) {
        java.util.Map<String, Model> models = new java.util.LinkedHashMap<>();
        for (Resource r : List.copyOf(resources.getResources())) {
            if (r.getURI() != null && !r.getContents().isEmpty() && r.getContents().get(0) instanceof Model m) {
                String key = r.getURI().isFile()
                        ? java.nio.file.Path.of(r.getURI().toFileString()).toAbsolutePath().normalize().toString()
                        : r.getURI().toString();
                models.putIfAbsent(key, m);
            }
        }
        return lower(List.copyOf(models.values()));
    }

    /**
     * Lowers every element of the given models (files already validated without errors); elements
     * that do not lower are left out.
     */
    public Program lower(List<Model> models) {
        List<org.edgenn.ir.graph.Network> networks = new ArrayList<>();
        List<org.edgenn.ir.accel.AcceleratorSpec> accelerators = new ArrayList<>();
        List<org.edgenn.ir.spec.TrainingSpec> trainings = new ArrayList<>();
        for (Model m : models) {
            for (Element e : m.getElements()) {
                if (e instanceof Network n) {
                    addIfLowered(networks, lower(n).network());
                } else if (e instanceof Accelerator a) {
                    addIfLowered(accelerators, lower(a).accelerator());
                } else if (e instanceof Training t) {
                    addIfLowered(trainings, lower(t).training());
                }
            }
        }
        return new Program(networks, accelerators, trainings);
    }

    /** Elements with errors lower to null and are left out. */
    private static <T> void addIfLowered(List<T> into, T lowered) {
        if (lowered != null) {
            into.add(lowered);
        }
    }
}
