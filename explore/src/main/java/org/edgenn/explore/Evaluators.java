package org.edgenn.explore;

import java.nio.file.Path;
import org.edgenn.dsl.lowering.ExploreLowering;
import org.edgenn.ir.spec.ExploreSpec;

/** Builds an {@link Evaluator} from a job: shared by the in-process engine and Spark executors. */
public final class Evaluators {
    private Evaluators() {
    }

    public static Evaluator create(Engine.Job job) {
        Template t = Template.parse(Path.of(job.file()), job.text());
        ExploreSpec spec = ExploreLowering.lower(t.explore(job.explore())).explore();
        if (spec == null) {
            throw new IllegalStateException("explore " + job.explore() + " does not lower");
        }
        return new Evaluator(Path.of(job.file()), job.text(), job.explore(), spec.budgets(), spec.training(), job.schedule());
    }
}
