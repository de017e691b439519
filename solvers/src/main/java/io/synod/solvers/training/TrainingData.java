// Training examples read from JSON Lines: {"prompt": ..., "completion": ...} or {"text": ...}, one per line.
package io.synod.solvers.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synod.solvers.model.TextTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A list of examples and the file they came from. Each non-blank line of the file is one JSON object: either
 * {@code {"prompt": "...", "completion": "..."}} (the loss covers the completion only) or {@code {"text": "..."}}
 * (the loss covers all of it). Other keys are ignored. Immutable.
 */
public final class TrainingData {
    static final String EXPECTED = "expected a JSON object with \"prompt\" and \"completion\" strings, or with a \"text\" string";

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Path source;
    private final List<TrainingExample> examples;

    private TrainingData(Path source, List<TrainingExample> examples) {
        this.source = source;
        this.examples = List.copyOf(examples);
    }

    /** Examples made in code (for tests and tools). */
    public static TrainingData of(List<TrainingExample> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        return new TrainingData(null, examples);
    }

    /**
     * Reads a JSON Lines file (UTF-8); blank lines are skipped.
     *
     * @throws TrainingDataException naming the file and line of the first bad line, or the file when it cannot be
     *     read or holds no example
     */
    public static TrainingData read(Path file) {
        List<TrainingExample> examples = new ArrayList<>();
        int number = 0;
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (!line.isBlank()) {
                    examples.add(parse(file, number, line));
                }
            }
        } catch (CharacterCodingException e) {
            // the reader decodes ahead, so the bad bytes are on the next line or soon after
            throw new TrainingDataException(file, number + 1, "not valid UTF-8 text (at or after this line)");
        } catch (IOException e) {
            throw new TrainingDataException(file, 0, "cannot be read (" + e + ")");
        }
        if (examples.isEmpty()) {
            throw new TrainingDataException(file, 0, "holds no examples; " + EXPECTED + " on each line");
        }
        return new TrainingData(file, examples);
    }

    private static TrainingExample parse(Path file, int number, String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new TrainingDataException(file, number, "not valid JSON (" + e.getOriginalMessage() + "); " + EXPECTED);
        }
        if (node == null || !node.isObject()) {
            throw new TrainingDataException(file, number, EXPECTED + ", got " + excerpt(line));
        }
        boolean hasText = node.has("text");
        boolean hasPair = node.has("prompt") || node.has("completion");
        if (hasText && hasPair) {
            throw new TrainingDataException(file, number,
                    "has both \"text\" and \"prompt\"/\"completion\"; " + EXPECTED);
        }
        if (hasText) {
            return new TrainingExample("", string(node, "text", file, number), number);
        }
        if (hasPair) {
            return new TrainingExample(string(node, "prompt", file, number), string(node, "completion", file, number), number);
        }
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        throw new TrainingDataException(file, number, EXPECTED + ", got an object with keys " + keys);
    }

    private static String string(JsonNode node, String key, Path file, int number) {
        JsonNode value = node.get(key);
        if (value == null || !value.isTextual()) {
            throw new TrainingDataException(file, number, "\"" + key + "\" is "
                    + (value == null ? "missing" : "not a string (" + excerpt(value.toString()) + ")") + "; " + EXPECTED);
        }
        return value.asText();
    }

    private static String excerpt(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    /** The file read, or null for examples made in code. */
    public Path source() {
        return source;
    }

    public List<TrainingExample> examples() {
        return examples;
    }

    public int size() {
        return examples.size();
    }

    /** Every prompt and completion, in order: the text a tokenizer's merges are learned from. */
    public List<String> texts() {
        List<String> texts = new ArrayList<>(examples.size() * 2);
        for (TrainingExample example : examples) {
            texts.add(example.prompt());
            texts.add(example.completion());
        }
        return texts;
    }

    /**
     * Token ids and loss masks: {@code encode(prompt)} (with the tokenizer's special tokens), then the completion
     * encoded as a continuation, then {@code endOfSequence} when it is not negative. The completion and the
     * end-of-sequence token are targets; the prompt is not. Encoding the prompt as at inference keeps training
     * and generation on the same token boundary.
     */
    public List<TokenizedExample> tokenize(TextTokenizer tokenizer, int endOfSequence) {
        List<TokenizedExample> tokenized = new ArrayList<>(examples.size());
        for (TrainingExample example : examples) {
            tokenized.add(tokenize(example, tokenizer, endOfSequence));
        }
        return tokenized;
    }

    /** One example as {@link #tokenize(TextTokenizer, int)} does it. */
    public static TokenizedExample tokenize(TrainingExample example, TextTokenizer tokenizer, int endOfSequence) {
        int[] prompt = tokenizer.encode(example.prompt());
        int[] completion = tokenizer.encodeContinuation(example.completion());
        int length = prompt.length + completion.length + (endOfSequence >= 0 ? 1 : 0);
        int[] tokens = Arrays.copyOf(prompt, length);
        System.arraycopy(completion, 0, tokens, prompt.length, completion.length);
        if (endOfSequence >= 0) {
            tokens[length - 1] = endOfSequence;
        }
        boolean[] lossMask = new boolean[length];
        // the first token has nothing before it to be predicted from, even when the prompt encodes to nothing
        Arrays.fill(lossMask, Math.min(Math.max(prompt.length, 1), length), length, true);
        return new TokenizedExample(tokens, lossMask, example.line());
    }
}
