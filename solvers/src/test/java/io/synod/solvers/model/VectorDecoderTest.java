// One-sequence decoding on float arrays (the Vector API path) against PyTorch's cached forward pass.
package io.synod.solvers.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.synod.adapters.lora.LoraAdapter;
import io.synod.adapters.lora.LoraConfig;
import io.synod.adapters.lora.LoraModule;
import io.synod.adapters.lora.TargetModules;
import io.synod.adapters.safetensors.DType;
import io.synod.solvers.lora.AdapterMix;
import io.synod.solvers.lora.LoraBatch;
import io.synod.solvers.lora.ResidentAdapter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorDecoderTest {
    private static final int STEPS = 12;
    private static final double TOLERANCE = 1e-4;
    private static final String[] PROJECTIONS = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};

    @TempDir Path directory;

    @BeforeEach
    void needsTheVectorApi() {
        // surefire starts the JVM with --add-modules jdk.incubator.vector; without it decoding stays on PyTorch
        assumeThat(VectorDecoder.available()).as("the Vector API module is in this JVM").isTrue();
    }

    @Test
    void theMatrixVectorKernelEqualsPyTorchOnRandomMatrices() {
        Random random = new Random(5);
        int[][] shapes = {{1, 1}, {5, 7}, {37, 100}, {64, 768}, {300, 64}, {9, 2051}};
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            for (int[] shape : shapes) {
                int rows = shape[0];
                int columns = shape[1];
                float[] weights = gaussians(random, rows * columns, 0.1);
                float[] x = gaussians(random, columns, 1);
                float[] expected = manager.create(weights, new Shape(rows, columns)).matMul(manager.create(x)).toFloatArray();
                float[] actual = new float[rows];
                MatrixVectorKernel.multiply(weights, columns, x, actual, 0, rows);
                assertThat(ReferenceForwardTest.maxAbsDifference(expected, actual)).as("%d x %d", rows, columns)
                        .isLessThan(TOLERANCE);
            }
        }
    }

    @Test
    void theBatchKernelEqualsPyTorchForEveryBatchSize() {
        Random random = new Random(6);
        int[][] shapes = {{5, 7}, {37, 100}, {64, 768}, {9, 2051}};
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            for (int[] shape : shapes) {
                int rows = shape[0];
                int columns = shape[1];
                float[] weights = gaussians(random, rows * columns, 0.1);
                for (int batch : new int[] {1, 2, 3, 4, 5, 8}) {
                    float[] x = gaussians(random, batch * columns, 1);
                    // X W^T: [B, rows]
                    float[] expected = manager.create(x, new Shape(batch, columns))
                            .matMul(manager.create(weights, new Shape(rows, columns)).transpose()).toFloatArray();
                    float[] actual = new float[batch * rows];
                    // in two row blocks, as threads would split it
                    MatrixVectorKernel.multiplyRows(weights, columns, x, batch, actual, rows, 0, rows / 2);
                    MatrixVectorKernel.multiplyRows(weights, columns, x, batch, actual, rows, rows / 2, rows);
                    assertThat(ReferenceForwardTest.maxAbsDifference(expected, actual))
                            .as("%d x %d, batch %d", rows, columns, batch).isLessThan(TOLERANCE);
                }
            }
        }
    }

    @Test
    void decodingQwen2WithBiasesAndGroupedQueriesEqualsPyTorch() throws Exception {
        assertDecodingEqualsPyTorch(TinyModels.qwen2(), null, "Lomé is the capital of");
    }

    @Test
    void decodingTiedLlamaWithLlama3RopeScalingEqualsPyTorch() throws Exception {
        assertDecodingEqualsPyTorch(TinyModels.llama3Scaled(), null, "Lomé is the capital of");
        assertDecodingEqualsPyTorch(TinyModels.tiedLlama(), null, "Lomé is the capital of");
    }

    @Test
    void decodingWithAnUnmergedAdapterOnEveryProjectionEqualsPyTorch() throws Exception {
        assertDecodingEqualsPyTorch(TinyModels.llama(), "everything", "Lomé is the capital of");
    }

    @Test
    void decodingABatchOfLeftPaddedPromptsEqualsPyTorch() throws Exception {
        assertDecodingEqualsPyTorch(TinyModels.qwen2(), null, "Togo", "Which currency does Togo use?", "a b c", "Lomé");
    }

    @Test
    void decodingABatchSharingOneAdapterEqualsPyTorch() throws Exception {
        assertDecodingEqualsPyTorch(TinyModels.llama(), "everything", "Which currency does Togo use?", "a b c");
    }

    /**
     * Prefills left-padded prompts on PyTorch, then decodes greedily on both paths from the same cache (the Vector
     * API path from a copy of it), comparing the logits of every row at every step.
     */
    private void assertDecodingEqualsPyTorch(ModelConfig config, String adapterName, String... texts) throws Exception {
        Path model = Files.createDirectories(directory.resolve(config.architecture() + "-" + config.keyValueHeads()
                + "-" + config.tieWordEmbeddings()));
        TinyModels.writeRandom(model, config, 31, DType.F32, false);
        try (LanguageModel language = LanguageModel.load(model, TinyModels.CPU)) {
            ResidentAdapter adapter = adapterName == null ? null : language.materialise(adapter(adapterName, config), 64);
            int batch = texts.length;
            int vocabulary = config.vocabularySize();
            List<int[]> prompts = new ArrayList<>();
            for (String text : texts) {
                prompts.add(language.tokenizer().encode(text));
            }
            int longest = prompts.stream().mapToInt(prompt -> prompt.length).max().orElseThrow();
            int[] padding = new int[batch];
            long[] tokens = new long[batch * longest];
            long[] positions = new long[batch * longest];
            for (int row = 0; row < batch; row++) {
                int[] prompt = prompts.get(row);
                padding[row] = longest - prompt.length;
                for (int t = 0; t < longest; t++) {
                    int index = t - padding[row];
                    tokens[row * longest + t] = index >= 0 ? prompt[index] : 0;
                    positions[row * longest + t] = Math.max(0, index);
                }
            }
            TransformerWeights weights = language.weights();
            NDManager base = weights.embedding().getManager();
            try (NDManager call = base.newSubManager();
                 // three threads that split even these tiny products, so that the row blocks are exercised
                 VectorDecoder decoder = new VectorDecoder(weights,
                         new RotaryEmbedding(config, language.contextLength(), call), new ParallelRows(3, 1))) {
                Transformer transformer = Transformer.create(weights, language.contextLength(), call);
                LoraBatch lora = adapter == null ? null
                        : LoraBatch.of(java.util.Collections.nCopies(batch, AdapterMix.of(adapter)), call);
                KvCache cache = new KvCache(config, batch, longest + STEPS + 1, call, DataType.FLOAT32);
                float[] expected = forward(call, transformer, cache, tokens, positions,
                        LanguageModel.prefillMask(padding, longest), batch, longest, lora);
                VectorDecoder.Cache arrays = new VectorDecoder.Cache(cache);
                for (int step = 0; step < STEPS; step++) {
                    int slot = cache.length();
                    int[] next = new int[batch];
                    long[] nextTokens = new long[batch];
                    long[] nextPositions = new long[batch];
                    for (int row = 0; row < batch; row++) {
                        next[row] = Sampler.argMax(expected, row * vocabulary, vocabulary);
                        nextTokens[row] = next[row];
                        nextPositions[row] = slot - padding[row];
                    }
                    expected = forward(call, transformer, cache, nextTokens, nextPositions,
                            LanguageModel.decodeMask(padding, slot + 1), batch, 1, lora);
                    float[] actual = decoder.step(next, padding, arrays, lora);
                    assertThat(ReferenceForwardTest.maxAbsDifference(expected, actual))
                            .as("%s, batch %d, decode step %d", config.architecture(), batch, step).isLessThan(TOLERANCE);
                }
                assertThat(arrays.length).isEqualTo(cache.length());
            } finally {
                if (adapter != null) {
                    adapter.close();
                }
            }
        }
    }

    /** A random rank-4 adapter on every projection of every layer, B non-zero so that it changes the outputs. */
    private static LoraAdapter adapter(String name, ModelConfig config) {
        Random random = new Random(17);
        int rank = 4;
        LoraConfig loraConfig = LoraConfig.of(rank, 8, TargetModules.names(PROJECTIONS), "test-base");
        List<LoraModule> modules = new ArrayList<>();
        int hidden = config.hiddenSize();
        int query = config.attentionHeads() * config.headDimension();
        int keyValue = config.keyValueHeads() * config.headDimension();
        for (int layer = 0; layer < config.layers(); layer++) {
            for (String projection : PROJECTIONS) {
                int[] inOut = switch (projection) {
                    case "q_proj" -> new int[] {hidden, query};
                    case "k_proj", "v_proj" -> new int[] {hidden, keyValue};
                    case "o_proj" -> new int[] {query, hidden};
                    case "gate_proj", "up_proj" -> new int[] {hidden, config.intermediateSize()};
                    default -> new int[] {config.intermediateSize(), hidden};
                };
                String module = "model.layers." + layer + "."
                        + (List.of("q_proj", "k_proj", "v_proj", "o_proj").contains(projection) ? "self_attn." : "mlp.")
                        + projection;
                modules.add(LoraModule.of(module, rank, (float) loraConfig.scaleFor(module), inOut[0], inOut[1],
                        gaussians(random, rank * inOut[0], 0.3), gaussians(random, inOut[1] * rank, 0.3)));
            }
        }
        return LoraAdapter.of(name, loraConfig, modules);
    }

    private static float[] gaussians(Random random, int count, double deviation) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * deviation);
        }
        return values;
    }

    /** Rows through PyTorch's forward pass with the cache; the logits of each row's last position, [B, V]. */
    private static float[] forward(NDManager call, Transformer transformer, KvCache cache, long[] tokens,
                                   long[] positions, float[] mask, int batch, int steps, LoraBatch lora) {
        try (NDManager step = call.newSubManager()) {
            int keys = cache.length() + steps;
            NDArray logits = transformer.forward(step.create(tokens, new Shape(batch, steps)),
                    step.create(positions, new Shape(batch, steps)),
                    step.create(mask, new Shape(batch, 1, 1, steps, keys)), cache, steps - 1, lora);
            return logits.toFloatArray();
        }
    }
}
