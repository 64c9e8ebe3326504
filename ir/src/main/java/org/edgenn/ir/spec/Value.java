package org.edgenn.ir.spec;

import java.util.List;
import java.util.Map;

/**
 * An attribute value as written in the language, for the open-ended parts of a spec
 * (initialisers, data sources, optimizers, schedules): {@code 5e-4}, {@code 40 dB},
 * {@code gaussian(1.5)}, {@code adam(lr=5e-4)}, {@code (3, 5)}, {@code "data/images"}.
 */
public sealed interface Value {

    record Num(double value, String unit) implements Value {
        @Override
        public String toString() {
            String n = value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) : String.valueOf(value);
            return unit.isEmpty() ? n : n + " " + unit;
        }
    }

    record Word(String name, List<Value> positional, Map<String, Value> named) implements Value {
        public Word {
            positional = List.copyOf(positional);
            named = Map.copyOf(named);
        }

        public static Word of(String name) {
            return new Word(name, List.of(), Map.of());
        }

        /** A named numeric argument, or {@code fallback} when absent. */
        public double number(String key, double fallback) {
            return named.get(key) instanceof Num n ? n.value() : fallback;
        }

        public String string(String key, String fallback) {
            Value v = named.get(key);
            if (v instanceof Str s) {
                return s.value();
            }
            return v instanceof Word w ? w.name() : fallback;
        }
    }

    record Str(String value) implements Value {
    }

    record Tuple(List<Value> items) implements Value {
        public Tuple {
            items = List.copyOf(items);
        }
    }
}
