// Conversions between float and the two 16-bit float formats safetensors files hold (F16 and BF16).
package io.synod.adapters.safetensors;

/**
 * Conversions between {@code float} and the 16-bit IEEE 754 binary16 ("half", F16) and bfloat16 (BF16)
 * formats, each held in the low 16 bits of a {@code short}. Widening is exact; narrowing rounds to the
 * nearest representable value, ties to even, as IEEE 754 specifies. Zeros keep their sign, infinities
 * stay infinite, NaN stays NaN, and subnormals are handled in both directions.
 *
 * <p>Java 17 has no {@code Float.float16ToFloat}; these follow the bit layouts directly:
 * binary16 is 1 sign, 5 exponent (bias 15) and 10 fraction bits; bfloat16 is the upper half of a
 * binary32 (1 sign, 8 exponent, 7 fraction bits).
 */
public final class HalfPrecision {

    private HalfPrecision() {
    }

    /** The float a binary16 value stands for (exact). */
    public static float float16ToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int fraction = bits & 0x3ff;
        if (exponent == 0x1f) {
            // Infinity (fraction 0) or NaN; the payload moves to the top of the float's fraction.
            return Float.intBitsToFloat(sign | 0x7f800000 | (fraction << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: fraction * 2^-24, exact in a float since fraction < 2^10.
            float magnitude = fraction * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        // Normal: rebias the exponent from 15 to 127.
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (fraction << 13));
    }

    /** The nearest binary16 value (ties to even); too large a magnitude becomes infinity. */
    public static short floatToFloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int fraction = bits & 0x7fffff;
        if (exponent == 0xff) {
            if (fraction == 0) {
                return (short) (sign | 0x7c00);
            }
            // Keep the top of the payload and set the quiet bit so the result cannot become infinity.
            return (short) (sign | 0x7c00 | 0x200 | (fraction >>> 13));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (halfExponent <= 0) {
            // Below the smallest normal (2^-14): a subnormal, counted in units of 2^-24.
            if (halfExponent < -10) {
                // Less than half the smallest subnormal (2^-25), float subnormals included: rounds to zero.
                return (short) sign;
            }
            int significand = fraction | 0x800000;
            int shift = 14 - halfExponent;
            return (short) (sign | roundShiftRight(significand, shift));
        }
        // Normal: drop 13 fraction bits. A carry out of the fraction bumps the exponent, which is the
        // correctly rounded result, up to infinity (0x7c00) for values at or above 65520.
        int rounded = roundShiftRight((halfExponent << 23) | fraction, 13);
        return (short) (sign | rounded);
    }

    /** The float a bfloat16 value stands for (exact). */
    public static float bfloat16ToFloat(short bfloat16) {
        return Float.intBitsToFloat((bfloat16 & 0xffff) << 16);
    }

    /** The nearest bfloat16 value (ties to even); too large a magnitude becomes infinity. */
    public static short floatToBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7fffffff) > 0x7f800000) {
            // NaN: truncating could clear every fraction bit left and make an infinity; set the quiet bit.
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) roundShiftRight(bits, 16);
    }

    /** {@code value >>> shift} (value read as unsigned) rounded to nearest, ties to even; 1 <= shift <= 30. */
    private static int roundShiftRight(int value, int shift) {
        int kept = value >>> shift;
        int remainder = value & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (remainder > halfway || (remainder == halfway && (kept & 1) != 0)) {
            kept++;
        }
        return kept;
    }
}
