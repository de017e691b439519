// The model's tokenizer: DJL's HuggingFace tokenizers over tokenizer.json, checked against the vocabulary.
package io.synod.solvers.model;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Encodes text to token ids and back. Thread-safe (the native tokenizer is). */
public final class TextTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final int highestId;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, int highestId) {
        this.tokenizer = tokenizer;
        this.highestId = highestId;
    }

    /** Loads {@code tokenizer.json} and checks that every id it can produce fits {@code vocabularySize}. */
    public static TextTokenizer load(Path file, int vocabularySize) {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file, null, "tokenizer.json is missing");
        }
        int highestId = highestId(file);
        if (highestId >= vocabularySize) {
            throw new ModelFormatException(file, "model.vocab",
                    "the tokenizer has token id " + highestId + " but config.json has vocab_size " + vocabularySize);
        }
        try {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(true)
                    .optTruncation(false)
                    .optPadding(false)
                    .build();
            return new TextTokenizer(tokenizer, highestId);
        } catch (IOException | RuntimeException e) {
            throw new ModelFormatException(file, null, "the tokenizer cannot be loaded: " + e.getMessage(), e);
        }
    }

    private static int highestId(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(file, null, "is not valid JSON: " + e.getMessage());
        }
        int highest = -1;
        for (JsonNode id : (Iterable<JsonNode>) () -> root.path("model").path("vocab").elements()) {
            highest = Math.max(highest, id.asInt());
        }
        for (JsonNode added : root.path("added_tokens")) {
            highest = Math.max(highest, added.path("id").asInt());
        }
        if (highest < 0) {
            throw new ModelFormatException(file, "model.vocab", "no vocabulary found");
        }
        return highest;
    }

    /** Token ids of {@code text}, with the special tokens the tokenizer's post-processor adds (a BOS, say). */
    public int[] encode(String text) {
        return toInts(tokenizer.encode(text).getIds());
    }

    /** Token ids of {@code text} alone, without special tokens: for continuations appended to a prompt. */
    public int[] encodeContinuation(String text) {
        return toInts(tokenizer.encode(text, false, false).getIds());
    }

    public String decode(int[] ids) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            longs[i] = ids[i];
        }
        return tokenizer.decode(longs, true);
    }

    /** The highest token id the tokenizer can produce. */
    public int highestId() {
        return highestId;
    }

    private static int[] toInts(long[] ids) {
        int[] ints = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            ints[i] = (int) ids[i];
        }
        return ints;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
