// The forward pass of a Llama-family decoder on DJL NDArrays: one comment per step, shapes beside them.
package io.synod.solvers.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import io.synod.solvers.lora.LowRankUpdate;
import io.synod.solvers.lora.Projection;

/**
 * A stateless forward pass over {@link TransformerWeights}. Every operation is called on an activation,
 * never on a weight, so that its result belongs to the caller's (per-call) manager and not to the model's.
 * The same code serves inference (with a {@link KvCache}) and training (without one, under autograd).
 */
public final class Transformer {
    private final ModelConfig config;
    private final TransformerWeights weights;
    private final RotaryEmbedding rotary;
    private final float attentionScale;

    Transformer(TransformerWeights weights, RotaryEmbedding rotary) {
        this.config = weights.config();
        this.weights = weights;
        this.rotary = rotary;
        this.attentionScale = (float) (1.0 / Math.sqrt(config.headDimension()));
    }

    /**
     * A forward pass over {@code weights} for positions {@code [0, contextLength)}, its rotary tables owned by
     * {@code manager} (the weights' manager, so that they live as long as the weights). For training.
     */
    public static Transformer create(TransformerWeights weights, int contextLength, NDManager manager) {
        return new Transformer(weights, new RotaryEmbedding(weights.config(), contextLength, manager));
    }

    TransformerWeights weights() {
        return weights;
    }

    /**
     * Logits at every position, without a cache: {@link #forward(NDArray, NDArray, NDArray, KvCache, long)}
     * with no cache from the first position. Differentiable under a DJL gradient collector.
     *
     * @param tokens    [B, T] int64 token ids
     * @param positions [B, T] int64 rotary positions
     * @param mask      [B, 1, 1, T, T] additive attention mask (0 or -inf); every query must see at least one key
     * @return [B, T, vocab] float logits, owned by the manager of {@code tokens}
     */
    public NDArray forward(NDArray tokens, NDArray positions, NDArray mask) {
        return forward(tokens, positions, mask, null, 0);
    }

    /**
     * Runs the decoder over {@code tokens} and returns logits for positions {@code [firstLogit, T)}.
     *
     * @param tokens     [B, T] int64 token ids
     * @param positions  [B, T] int64 rotary positions (per row, so left padding keeps positions from 0)
     * @param mask       [B, 1, 1, T, S] additive attention mask over the S = cached + T keys (0 or -inf)
     * @param cache      the key/value cache to read and extend, or null to attend within {@code tokens} only
     * @param firstLogit the first position whose logits are wanted (T - 1 for next-token decoding)
     * @return [B, T - firstLogit, vocab] float logits
     */
    NDArray forward(NDArray tokens, NDArray positions, NDArray mask, KvCache cache, long firstLogit) {
        return forward(tokens, positions, mask, cache, firstLogit, null);
    }

    /**
     * Logits at every position, without a cache, with {@code update} added to the projections: for training
     * adapter factors (differentiable under a DJL gradient collector). Shapes as {@link #forward(NDArray, NDArray, NDArray)}.
     */
    public NDArray forward(NDArray tokens, NDArray positions, NDArray mask, LowRankUpdate update) {
        return forward(tokens, positions, mask, null, 0, update);
    }

    /** As {@link #forward(NDArray, NDArray, NDArray, KvCache, long)}, adding low-rank updates ({@code lora} null for none). */
    NDArray forward(NDArray tokens, NDArray positions, NDArray mask, KvCache cache, long firstLogit, LowRankUpdate lora) {
        NDArray x = decode(tokens, positions, mask, cache, lora);
        // logits = rmsnorm(x[:, firstLogit:]) @ head^T: [B, T - firstLogit, V]
        if (firstLogit > 0) {
            x = x.get(new NDIndex(":, {}:", firstLogit));
        }
        return Linear.linear(rmsNorm(x, weights.finalNorm()), weights.head()).get(0);
    }

    /**
     * The last hidden state of every position, after the final RMSNorm (what the head reads), without a cache.
     *
     * @param tokens    [B, T] int64 token ids
     * @param positions [B, T] int64 rotary positions
     * @param mask      [B, 1, 1, T, T] additive attention mask
     * @return [B, T, H]
     */
    NDArray hiddenStates(NDArray tokens, NDArray positions, NDArray mask) {
        return hiddenStates(tokens, positions, mask, config.layers());
    }

    /**
     * As {@link #hiddenStates(NDArray, NDArray, NDArray)} after the first {@code layers} decoder layers only (0: the
     * embeddings), normalised with the final RMSNorm's weights: a cheaper state for a router.
     */
    NDArray hiddenStates(NDArray tokens, NDArray positions, NDArray mask, int layers) {
        return rmsNorm(decode(tokens, positions, mask, null, null, layers), weights.finalNorm());
    }

    /** The decoder layers: embeddings to the residual stream after the last layer, [B, T, H]. */
    private NDArray decode(NDArray tokens, NDArray positions, NDArray mask, KvCache cache, LowRankUpdate lora) {
        return decode(tokens, positions, mask, cache, lora, config.layers());
    }

    /** The first {@code layers} decoder layers: embeddings to the residual stream after them, [B, T, H]. */
    private NDArray decode(NDArray tokens, NDArray positions, NDArray mask, KvCache cache, LowRankUpdate lora,
                           int layers) {
        long batch = tokens.getShape().get(0);
        long steps = tokens.getShape().get(1);
        // x = embed(tokens): [B, T, H]
        NDArray x = tokens.getNDArrayInternal().embedding(tokens, weights.embedding(), SparseFormat.DENSE).get(0);
        // rotary factors for every head of the fused q/k/v projection: [B, T, heads + 2 kv, D]
        NDArray[] angles = fusedAngles(positions, batch, steps);
        NDArray cos = angles[0];
        NDArray sin = angles[1];

        for (int layer = 0; layer < layers; layer++) {
            TransformerWeights.Layer weightsOfLayer = weights.layers().get(layer);
            // x = x + attention(rmsnorm(x))
            NDArray normed = rmsNorm(x, weightsOfLayer.attentionNorm());
            x = x.add(attention(normed, weightsOfLayer, layer, cos, sin, mask, cache, lora, batch, steps));
            // x = x + down(silu(gate(rmsnorm(x))) * up(rmsnorm(x)))
            normed = rmsNorm(x, weightsOfLayer.feedForwardNorm());
            x = x.add(feedForward(normed, weightsOfLayer, layer, lora));
        }
        if (cache != null) {
            cache.advance(steps);
        }
        return x;
    }

    private NDArray attention(NDArray x, TransformerWeights.Layer layer, int index, NDArray cos, NDArray sin,
                              NDArray mask, KvCache cache, LowRankUpdate lora, long batch, long steps) {
        int heads = config.attentionHeads();
        int keyValueHeads = config.keyValueHeads();
        int groups = config.queriesPerKeyValue();
        int headDim = config.headDimension();
        // q, k, v as heads of one projection: x @ Wqkv^T + b: [B, T, heads + 2 kv, D]
        NDArray fused = layer.queryKeyValueBias() == null
                ? Linear.linear(x, layer.queryKeyValue()).get(0)
                : Linear.linear(x, layer.queryKeyValue(), layer.queryKeyValueBias()).get(0);
        if (lora != null) {
            fused = lora.apply(x, fused, index, Projection.QUERY_KEY_VALUE);
        }
        fused = fused.reshape(batch, steps, heads + 2L * keyValueHeads, headDim);
        // rope on q and k, identity on v, 1/sqrt(D) on q, all through the fused angle tables
        NDArray swapped = fused.reshape(batch, steps, heads + 2L * keyValueHeads, 2, headDim / 2)
                .flip(3)
                .reshape(batch, steps, heads + 2L * keyValueHeads, headDim);
        NDList qkv = fused.mul(cos).add(swapped.mul(sin)).split(new long[] {heads, heads + keyValueHeads}, 2);
        NDArray query = qkv.get(0);                                  // [B, T, heads, D]
        // k, v: [B, kv, T, D]; with a cache, append them and attend over the whole prefix [B, kv, S, D]
        NDArray key = qkv.get(1).transpose(0, 2, 1, 3);
        NDArray value = qkv.get(2).transpose(0, 2, 1, 3);
        if (cache != null) {
            cache.append(index, key, value);
            key = cache.keys(index, steps);
            value = cache.values(index, steps);
        }
        // grouped-query attention without repeating k and v: the queries of one kv head side by side
        // q: [B, T, kv, groups, D] -> [B, kv, groups*T, D]
        query = query.reshape(batch, steps, keyValueHeads, groups, headDim)
                .transpose(0, 2, 3, 1, 4)
                .reshape(batch, keyValueHeads, groups * steps, headDim);
        // scores = q k^T + mask: [B, kv, groups, T, S]
        long keyLength = key.getShape().get(2);
        NDArray scores = query.matMul(key.transpose(0, 1, 3, 2))
                .reshape(batch, keyValueHeads, groups, steps, keyLength)
                .add(mask);
        // out = softmax(scores) v: [B, kv, groups*T, D] -> [B, T, heads*D]
        NDArray attended = scores.softmax(-1)
                .reshape(batch, keyValueHeads, groups * steps, keyLength)
                .matMul(value)
                .reshape(batch, keyValueHeads, groups, steps, headDim)
                .transpose(0, 3, 1, 2, 4)
                .reshape(batch, steps, (long) heads * headDim);
        // o = out @ Wo^T: [B, T, H]
        NDArray output = Linear.linear(attended, layer.output()).get(0);
        return lora == null ? output : lora.apply(attended, output, index, Projection.OUTPUT);
    }

    private NDArray feedForward(NDArray x, TransformerWeights.Layer layer, int index, LowRankUpdate lora) {
        // gate, up = split(x @ Wgu^T): [B, T, I] each; out = (silu(gate) * up) @ Wdown^T: [B, T, H]
        NDArray fused = Linear.linear(x, layer.gateUp()).get(0);
        if (lora != null) {
            fused = lora.apply(x, fused, index, Projection.GATE_UP);
        }
        NDList gateUp = fused.split(2, 2);
        // silu(gate) = sigmoid(gate) * gate; not Activation.swish, which multiplies by a number (see rmsNorm)
        NDArray activated = Activation.sigmoid(gateUp.get(0)).mul(gateUp.get(0)).mul(gateUp.get(1));
        NDArray output = Linear.linear(activated, layer.down()).get(0);
        return lora == null ? output : lora.apply(activated, output, index, Projection.DOWN);
    }

    /**
     * Cosine and signed-sine factors for the heads of the fused q/k/v projection at each row's positions:
     * q heads get the rotation scaled by 1/sqrt(D) (the attention scale, folded in), k heads the rotation,
     * v heads the identity (cos 1, sin 0). Built once per forward pass, shared by every layer.
     */
    private NDArray[] fusedAngles(NDArray positions, long batch, long steps) {
        int heads = config.attentionHeads();
        int keyValueHeads = config.keyValueHeads();
        Shape perHead = new Shape(batch, steps, 1, config.headDimension());
        NDArray cos = positions.getNDArrayInternal().embedding(positions, rotary.cos, SparseFormat.DENSE).get(0).reshape(perHead);
        NDArray sin = positions.getNDArrayInternal().embedding(positions, rotary.signedSin, SparseFormat.DENSE).get(0).reshape(perHead);
        NDArray identityCos = cos.onesLike().repeat(2, keyValueHeads);
        NDArray identitySin = sin.zerosLike().repeat(2, keyValueHeads);
        NDArray fusedCos = NDArrays.concat(new NDList(cos.mul(attentionScale).repeat(2, heads), cos.repeat(2, keyValueHeads), identityCos), 2);
        NDArray fusedSin = NDArrays.concat(new NDList(sin.mul(attentionScale).repeat(2, heads), sin.repeat(2, keyValueHeads), identitySin), 2);
        return new NDArray[] {fusedCos, fusedSin};
    }

    /**
     * RMSNorm: x / sqrt(mean(x^2) + eps) * w, over the last axis. No mul/div/pow by a Java number where gradients
     * flow: DJL makes the number a tensor over a buffer it frees after the op, which autograd keeps for backward.
     */
    private NDArray rmsNorm(NDArray x, NDArray weight) {
        NDArray rms = x.square().mean(new int[] {-1}, true).add((float) config.rmsNormEpsilon()).sqrt();
        return x.div(rms).mul(weight);
    }
}
