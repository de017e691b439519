// The value semantics of TensorInfo and the names of DType.
package io.synod.adapters.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TensorInfoTest {

    @Test
    void equalityComparesTheShapeByValue() {
        TensorInfo one = new TensorInfo("w", DType.F16, new long[] {2, 3}, 8, 20);
        TensorInfo two = new TensorInfo("w", DType.F16, new long[] {2, 3}, 8, 20);
        assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
        assertThat(one).isNotEqualTo(new TensorInfo("w", DType.F16, new long[] {3, 2}, 8, 20));
        assertThat(one.toString()).contains("[2, 3]");
    }

    @Test
    void theShapeIsCopiedInAndOut() {
        long[] shape = {4};
        TensorInfo info = new TensorInfo("w", DType.F32, shape, 0, 16);
        shape[0] = 99;
        info.shape()[0] = 99;
        assertThat(info.shape()).containsExactly(4);
    }

    @Test
    void elementCountIsTheProductOfTheShapeAndOneForAScalar() {
        assertThat(new TensorInfo("w", DType.BF16, new long[] {2, 3, 4}, 0, 48).elementCount()).isEqualTo(24);
        assertThat(new TensorInfo("s", DType.I64, new long[] {}, 0, 8).elementCount()).isEqualTo(1);
        assertThat(new TensorInfo("e", DType.I64, new long[] {5, 0}, 8, 8).elementCount()).isZero();
    }

    @Test
    void aRangeThatDoesNotMatchTheShapeIsRefused() {
        assertThatThrownBy(() -> new TensorInfo("w", DType.F32, new long[] {2}, 0, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'w'");
    }

    @Test
    void dtypesHaveTheirFormatNamesAndSizes() {
        assertThat(DType.fromName("BF16")).isEqualTo(DType.BF16);
        assertThat(DType.fromName("BOOL").byteSize()).isEqualTo(1);
        assertThat(DType.F64.byteSize()).isEqualTo(8);
        assertThat(DType.I16.byteSize()).isEqualTo(2);
        assertThatThrownBy(() -> DType.fromName("f32"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'f32'")
                .hasMessageContaining("F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL");
    }
}
