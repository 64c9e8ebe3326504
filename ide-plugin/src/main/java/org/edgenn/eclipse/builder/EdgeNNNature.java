package org.edgenn.eclipse.builder;

import org.eclipse.core.resources.ICommand;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IProjectDescription;
import org.eclipse.core.resources.IProjectNature;
import org.eclipse.core.runtime.CoreException;

/** The EdgeNN project nature: adding it to a project adds the builder. */
public class EdgeNNNature implements IProjectNature {

    public static final String ID = "org.edgenn.eclipse.nature";

    private IProject project;

    @Override
    public void configure() throws CoreException {
        IProjectDescription d = project.getDescription();
        for (ICommand c : d.getBuildSpec()) {
            if (EdgeNNBuilder.ID.equals(c.getBuilderName())) {
                return;
            }
        }
        ICommand build = d.newCommand();
        build.setBuilderName(EdgeNNBuilder.ID);
        ICommand[] spec = java.util.Arrays.copyOf(d.getBuildSpec(), d.getBuildSpec().length + 1);
        spec[spec.length - 1] = build;
        d.setBuildSpec(spec);
        project.setDescription(d, null);
    }

    @Override
    public void deconfigure() throws CoreException {
        IProjectDescription d = project.getDescription();
        d.setBuildSpec(java.util.Arrays.stream(d.getBuildSpec())
                .filter(c -> !EdgeNNBuilder.ID.equals(c.getBuilderName())).toArray(ICommand[]::new));
        project.setDescription(d, null);
    }

    @Override
    public IProject getProject() {
        return project;
    }

    @Override
    public void setProject(IProject project) {
        this.project = project;
    }
}
