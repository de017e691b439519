// Checks the F16 and BF16 conversions on known bit patterns and against a brute-force nearest search.
package io.synod.adapters.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HalfPrecisionTest {

    private static short f16(float value) {
        return HalfPrecision.floatToFloat16(value);
    }

    private static short bf16(float value) {
        return HalfPrecision.floatToBfloat16(value);
    }

    @Test
    void halfEncodesOneAndMinusTwoAndAHalfExactly() {
        assertThat(f16(1.0f)).isEqualTo((short) 0x3c00);
        assertThat(f16(-2.5f)).isEqualTo((short) 0xc100);
        assertThat(HalfPrecision.float16ToFloat((short) 0x3c00)).isEqualTo(1.0f);
        assertThat(HalfPrecision.float16ToFloat((short) 0xc100)).isEqualTo(-2.5f);
    }

    @Test
    void halfLargestFiniteIs65504AndAnythingFromTheTieUpwardsIsInfinity() {
        assertThat(f16(65504f)).isEqualTo((short) 0x7bff);
        assertThat(HalfPrecision.float16ToFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(f16(65519.99f)).isEqualTo((short) 0x7bff);
        assertThat(f16(65520f)).isEqualTo((short) 0x7c00);
        assertThat(f16(-1e6f)).isEqualTo((short) 0xfc00);
    }

    @Test
    void halfSubnormalsConvertExactlyBothWays() {
        float smallest = 0x1p-24f;
        assertThat(f16(smallest)).isEqualTo((short) 0x0001);
        assertThat(HalfPrecision.float16ToFloat((short) 0x0001)).isEqualTo(smallest);
        assertThat(HalfPrecision.float16ToFloat((short) 0x03ff)).isEqualTo(1023 * 0x1p-24f);
        assertThat(HalfPrecision.float16ToFloat((short) 0x0400)).isEqualTo(0x1p-14f);
        assertThat(HalfPrecision.float16ToFloat((short) 0x8001)).isEqualTo(-smallest);
    }

    @Test
    void halfRoundsValuesBelowTheSmallestSubnormalToNearestEven() {
        assertThat(f16(0x1p-25f)).as("half the smallest subnormal is a tie, to even zero").isEqualTo((short) 0);
        assertThat(f16(Math.nextUp(0x1p-25f))).isEqualTo((short) 0x0001);
        assertThat(f16(3 * 0x1p-25f)).as("1.5 units is a tie, to even 2").isEqualTo((short) 0x0002);
        assertThat(f16(Float.MIN_VALUE)).isEqualTo((short) 0);
        assertThat(f16(-Float.MIN_VALUE)).isEqualTo((short) 0x8000);
    }

    @Test
    void halfRoundsPointOneToNearestAndTiesToEven() {
        assertThat(f16(0.1f)).isEqualTo((short) 0x2e66);
        assertThat(f16(1f + 0x1p-11f)).as("tie between 0x3c00 and 0x3c01").isEqualTo((short) 0x3c00);
        assertThat(f16(1f + 3 * 0x1p-11f)).as("tie between 0x3c01 and 0x3c02").isEqualTo((short) 0x3c02);
    }

    @Test
    void halfKeepsInfinitiesNaNAndSignedZero() {
        assertThat(f16(Float.POSITIVE_INFINITY)).isEqualTo((short) 0x7c00);
        assertThat(f16(Float.NEGATIVE_INFINITY)).isEqualTo((short) 0xfc00);
        assertThat(HalfPrecision.float16ToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(HalfPrecision.float16ToFloat((short) 0xfc00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(HalfPrecision.float16ToFloat((short) 0x7e00)).isNaN();
        assertThat(HalfPrecision.float16ToFloat((short) 0x7c01)).isNaN();
        assertThat(isHalfNaN(f16(Float.NaN))).isTrue();
        // A NaN whose payload lies only in the low bits must not turn into infinity.
        assertThat(isHalfNaN(f16(Float.intBitsToFloat(0x7f800001)))).isTrue();
        assertThat(f16(-0.0f)).isEqualTo((short) 0x8000);
        assertThat(Float.floatToRawIntBits(HalfPrecision.float16ToFloat((short) 0x8000))).isEqualTo(0x80000000);
    }

    @Test
    void everyFiniteHalfSurvivesARoundTripThroughFloat() {
        for (int bits = 0; bits <= 0xffff; bits++) {
            short half = (short) bits;
            if (isHalfNaN(half)) {
                continue;
            }
            assertThat(f16(HalfPrecision.float16ToFloat(half))).as("0x%04x", bits).isEqualTo(half);
        }
    }

    @Test
    void floatToHalfPicksTheNearestHalfWithTiesToEvenAcrossTheFloatRange() {
        // A brute-force oracle over a million floats spread across all bit patterns: the chosen half is
        // no farther from the value than either neighbour, and even on a tie. Plain checks keep it fast.
        for (long pattern = 0; pattern <= 0xffffffffL; pattern += 4099) {
            float value = Float.intBitsToFloat((int) pattern);
            if (Float.isNaN(value) || Float.isInfinite(value)) {
                continue;
            }
            String problem = nearestHalfProblem(value, f16(value));
            if (problem != null) {
                assertThat(problem).as("float %s (0x%08x)", value, pattern).isNull();
            }
        }
    }

    /** Why half is not the correctly rounded binary16 of value, or null if it is. */
    private static String nearestHalfProblem(float value, short half) {
        double target = Math.abs((double) value);
        int magnitude = half & 0x7fff;
        if (target >= 65520) {
            return magnitude == 0x7c00 ? null : "expected infinity";
        }
        if (magnitude >= 0x7c00) {
            return "expected a finite half";
        }
        if (magnitude != 0 && (half < 0) != (value < 0)) {
            return "wrong sign";
        }
        double error = Math.abs(target - HalfPrecision.float16ToFloat((short) magnitude));
        double below = magnitude == 0 ? Double.POSITIVE_INFINITY
                : Math.abs(target - HalfPrecision.float16ToFloat((short) (magnitude - 1)));
        double above = Math.abs(target - (magnitude + 1 == 0x7c00 ? 65536.0
                : HalfPrecision.float16ToFloat((short) (magnitude + 1))));
        if (error > below || error > above) {
            return "a neighbour is nearer";
        }
        if ((error == below || error == above) && (magnitude & 1) != 0) {
            return "a tie not rounded to even";
        }
        return null;
    }

    @Test
    void bfloat16EncodesKnownValues() {
        assertThat(bf16(1.0f)).isEqualTo((short) 0x3f80);
        assertThat(bf16(-2.5f)).isEqualTo((short) 0xc020);
        assertThat(HalfPrecision.bfloat16ToFloat((short) 0x3f80)).isEqualTo(1.0f);
        assertThat(HalfPrecision.bfloat16ToFloat((short) 0xc020)).isEqualTo(-2.5f);
        assertThat(bf16(65504f)).as("65504 needs more than 8 significant bits").isEqualTo((short) 0x4780);
        assertThat(HalfPrecision.bfloat16ToFloat((short) 0x4780)).isEqualTo(65536f);
    }

    @Test
    void bfloat16RoundsPointOneToNearestAndTiesToEven() {
        assertThat(bf16(0.1f)).isEqualTo((short) 0x3dcd);
        assertThat(bf16(1f + 0x1p-8f)).as("tie between 0x3f80 and 0x3f81").isEqualTo((short) 0x3f80);
        assertThat(bf16(1f + 3 * 0x1p-8f)).as("tie between 0x3f81 and 0x3f82").isEqualTo((short) 0x3f82);
    }

    @Test
    void bfloat16KeepsSubnormalsInfinitiesAndNaN() {
        float smallest = 0x1p-133f;
        assertThat(bf16(smallest)).isEqualTo((short) 0x0001);
        assertThat(HalfPrecision.bfloat16ToFloat((short) 0x0001)).isEqualTo(smallest);
        assertThat(bf16(Float.POSITIVE_INFINITY)).isEqualTo((short) 0x7f80);
        assertThat(bf16(Float.NEGATIVE_INFINITY)).isEqualTo((short) 0xff80);
        assertThat(bf16(Float.MAX_VALUE)).as("rounds past the largest bfloat16").isEqualTo((short) 0x7f80);
        assertThat(HalfPrecision.bfloat16ToFloat((short) 0x7fc0)).isNaN();
        assertThat(HalfPrecision.bfloat16ToFloat(bf16(Float.NaN))).isNaN();
        assertThat(HalfPrecision.bfloat16ToFloat(bf16(Float.intBitsToFloat(0x7f800001)))).isNaN();
        assertThat(bf16(-0.0f)).isEqualTo((short) 0x8000);
    }

    private static boolean isHalfNaN(short half) {
        return (half & 0x7c00) == 0x7c00 && (half & 0x03ff) != 0;
    }
}
