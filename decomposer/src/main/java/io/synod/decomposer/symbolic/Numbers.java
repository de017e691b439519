// Reading numbers the way answers write them ("475442", "4.75e5", "1,234") and writing results back.
package io.synod.decomposer.symbolic;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.regex.Pattern;

/** Decimal numbers for the symbolic handlers; exact where the input is. */
final class Numbers {

    /** Arithmetic precision: 16 significant digits, as a double carries. */
    static final MathContext PRECISION = MathContext.DECIMAL64;

    private static final Pattern PLAIN = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern GROUPED = Pattern.compile("[+-]?\\d{1,3}(,\\d{3})+(\\.\\d+)?");

    private Numbers() {
    }

    /** The number {@code text} writes, or {@code null} when it is not one. */
    static BigDecimal parse(String text) {
        String trimmed = text.strip();
        if (GROUPED.matcher(trimmed).matches()) {
            trimmed = trimmed.replace(",", "");
        }
        if (!PLAIN.matcher(trimmed).matches()) {
            return null;
        }
        return new BigDecimal(trimmed);
    }

    /** Plain digits, no exponent and no trailing zeros: "12", "0.5", "-3.25". */
    static String format(BigDecimal number) {
        BigDecimal rounded = number.round(PRECISION).stripTrailingZeros();
        if (rounded.signum() == 0) {
            return "0";
        }
        return rounded.toPlainString();
    }
}
