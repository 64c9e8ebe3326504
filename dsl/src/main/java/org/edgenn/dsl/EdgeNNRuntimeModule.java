package org.edgenn.dsl;

import com.google.inject.Binder;
import com.google.inject.name.Names;
import org.eclipse.xtext.linking.ILinkingDiagnosticMessageProvider;
import org.eclipse.xtext.naming.IQualifiedNameProvider;
import org.eclipse.xtext.scoping.IGlobalScopeProvider;
import org.eclipse.xtext.scoping.IScopeProvider;
import org.eclipse.xtext.scoping.impl.AbstractDeclarativeScopeProvider;
import org.eclipse.xtext.scoping.impl.ImportUriGlobalScopeProvider;
import org.eclipse.xtext.scoping.impl.SimpleLocalScopeProvider;
import org.edgenn.dsl.scoping.TopLevelNameProvider;
import org.edgenn.dsl.validation.EdgeNNLinkingMessages;

/** Binds the language's services: imports by file URI, simple global names, friendlier link errors. */
public class EdgeNNRuntimeModule extends AbstractEdgeNNRuntimeModule {

    @Override
    public Class<? extends IGlobalScopeProvider> bindIGlobalScopeProvider() {
        return ImportUriGlobalScopeProvider.class;
    }

    @Override
    public void configureIScopeProviderDelegate(Binder binder) {
        binder.bind(IScopeProvider.class).annotatedWith(Names.named(AbstractDeclarativeScopeProvider.NAMED_DELEGATE))
                .to(SimpleLocalScopeProvider.class);
    }

    @Override
    public Class<? extends IQualifiedNameProvider> bindIQualifiedNameProvider() {
        return TopLevelNameProvider.class;
    }

    @Override
    public Class<? extends org.eclipse.xtext.conversion.IValueConverterService> bindIValueConverterService() {
        return org.edgenn.dsl.conversion.EdgeNNValueConverters.class;
    }

    @Override
    public Class<? extends org.eclipse.xtext.resource.XtextResource> bindXtextResource() {
        return org.edgenn.dsl.resource.EdgeNNResource.class;
    }

    public Class<? extends ILinkingDiagnosticMessageProvider> bindILinkingDiagnosticMessageProvider() {
        return EdgeNNLinkingMessages.class;
    }
}
