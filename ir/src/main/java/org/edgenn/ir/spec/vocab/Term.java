package org.edgenn.ir.spec.vocab;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * One word of the training vocabulary: a data source, optimizer, schedule or initializer, with the arguments it
 * accepts and how checked arguments become its typed record ({@code adam(lr=5e-4)} → {@code Optimizer.Adam(5e-4)}).
 *
 * @param provides for data sources: the tensors it gives, in binding order; empty otherwise
 * @param type     the record class this term builds
 * @param build    builds the record from checked, defaulted arguments
 */
public record Term<T>(Kind kind, String name, String doc, List<Parameter> parameters, List<String> provides,
                      Class<? extends T> type, Function<Arguments, T> build) {

    /** The families of the vocabulary. */
    public enum Kind {
        DATA_SOURCE("data source"), OPTIMIZER("optimizer"), SCHEDULE("schedule"), INITIALIZER("initializer"), CURRICULUM("curriculum");

        private final String what;

        Kind(String what) {
            this.what = what;
        }

        /** For messages: "unknown data source 'mnist'". */
        public String what() {
            return what;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Term {
        parameters = List.copyOf(parameters);
        provides = List.copyOf(provides);
        if (parameters.stream().filter(Parameter::positional).count() > 1) {
            throw new IllegalArgumentException(name + ": at most one positional parameter");
        }
        if (parameters.stream().map(Parameter::name).distinct().count() != parameters.size()) {
            throw new IllegalArgumentException(name + ": duplicate parameter names");
        }
    }

    public Optional<Parameter> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The parameter an unnamed first argument fills, if any. */
    public Optional<Parameter> positional() {
        return parameters.stream().filter(Parameter::positional).findFirst();
    }

    public List<String> parameterNames() {
        return parameters.stream().map(Parameter::name).toList();
    }

    /** The typed record of checked arguments. */
    public T build(Arguments args) {
        return build.apply(args);
    }

    /** {@code adam(lr=0.001)}: how to write it with every parameter spelled out, for docs and content assist. */
    public String signature() {
        if (parameters.isEmpty()) {
            return name;
        }
        return name + "(" + String.join(", ", parameters.stream().map(p -> p.name() + "=" + p.defaultText()).toList()) + ")";
    }
}
