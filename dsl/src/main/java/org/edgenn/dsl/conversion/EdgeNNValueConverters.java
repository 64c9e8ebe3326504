package org.edgenn.dsl.conversion;

import org.eclipse.xtext.common.services.DefaultTerminalConverters;
import org.eclipse.xtext.conversion.IValueConverter;
import org.eclipse.xtext.conversion.ValueConverter;
import org.eclipse.xtext.conversion.ValueConverterException;
import org.eclipse.xtext.nodemodel.INode;

/**
 * Numbers that may be written as a parameter ({@code $depth}). A parameter has no value until an
 * exploration binds it: in a family (a network or accelerator with parameters) the model holds a
 * placeholder 0, and families are never lowered as written, only their instances
 * ({@link org.edgenn.dsl.space.Instantiation}), where every parameter is replaced by its value.
 */
public class EdgeNNValueConverters extends DefaultTerminalConverters {
    private static final java.math.BigInteger MAX_INT = java.math.BigInteger.valueOf(Integer.MAX_VALUE);

    /** Whole numbers: one too large for an int is an error that says so (not Java's "For input string"). */
    @Override
    @ValueConverter(rule = "INT")
    public IValueConverter<Integer> INT() {
        IValueConverter<Integer> plain = super.INT();
        return new IValueConverter<>() {
            @Override
            public Integer toValue(String string, INode node) throws ValueConverterException {
                String digits = string == null ? "" : string.trim();
                if (digits.isEmpty()) {
                    // the parser's recovery inserted a missing number (a file cut off mid-expression): say that, not
                    // Xtext's "Couldn't convert empty string to an int value"
                    throw new ValueConverterException("a whole number is missing here", node, null);
                }
                if (digits.matches("\\d{10,}") && new java.math.BigInteger(digits).compareTo(MAX_INT) > 0) {
                    throw new ValueConverterException(digits + " is too large: whole numbers are at most " + Integer.MAX_VALUE,
                            node, null);
                }
                return plain.toValue(string, node);
            }

            @Override
            public String toString(Integer value) {
                return plain.toString(value);
            }
        };
    }

    @ValueConverter(rule = "Count")
    public IValueConverter<Integer> Count() {
        IValueConverter<Integer> plain = INT();
        return new IValueConverter<>() {
            @Override
            public Integer toValue(String string, INode node) throws ValueConverterException {
                return isParameter(string) ? 0 : plain.toValue(string, node);
            }

            @Override
            public String toString(Integer value) {
                return plain.toString(value);
            }
        };
    }

    @ValueConverter(rule = "Number")
    public IValueConverter<Double> Number() {
        return doubles();
    }

    @ValueConverter(rule = "PlainNumber")
    public IValueConverter<Double> PlainNumber() {
        return doubles();
    }

    /** {@code 4..}: the lower end of a range, with the dots that follow it. */
    @ValueConverter(rule = "RangeStart")
    public IValueConverter<Double> RangeStart() {
        IValueConverter<Double> plain = doubles();
        return new IValueConverter<>() {
            @Override
            public Double toValue(String string, INode node) throws ValueConverterException {
                return plain.toValue(string == null ? null : string.replace("..", ""), node);
            }

            @Override
            public String toString(Double value) {
                return plain.toString(value) + "..";
            }
        };
    }

    private static IValueConverter<Double> doubles() {
        return new IValueConverter<>() {
            @Override
            public Double toValue(String string, INode node) throws ValueConverterException {
                if (string == null || isParameter(string)) {
                    return 0.0;
                }
                double v;
                try {
                    v = Double.parseDouble(string.trim());
                } catch (NumberFormatException e) {
                    throw new ValueConverterException("not a number: " + string, node, e);
                }
                // 1e400 was read as Infinity (a scale, a learning rate, a bound of infinity, taken), 1e-400 as 0
                if (Double.isInfinite(v)) {
                    throw new ValueConverterException(string.trim() + " is too large: numbers are at most "
                            + Double.MAX_VALUE, node, null);
                }
                if (v == 0 && new java.math.BigDecimal(string.trim()).signum() != 0) {
                    throw new ValueConverterException(string.trim() + " is too small: it would be read as 0 (numbers "
                            + "other than 0 are at least " + Double.MIN_VALUE + ")", node, null);
                }
                return v;
            }

            @Override
            public String toString(Double value) {
                return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString(value.longValue()) : value.toString();
            }
        };
    }

    private static boolean isParameter(String text) {
        return text != null && text.trim().startsWith("$");
    }
}
