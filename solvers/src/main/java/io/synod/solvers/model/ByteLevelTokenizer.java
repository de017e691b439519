// Writes the tokenizer of a new small model: a byte-level tokenizer.json (one token per byte) that DJL's
// HuggingFace tokenizers and other HuggingFace-format readers load.
package io.synod.solvers.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A byte-level BPE tokenizer, with no merges or with merges learned from training text
 * ({@code BytePairMerges}): ids 0–255 are the bytes of the UTF-8 text (spelt with GPT-2's
 * byte-to-character table, as byte-level BPE files do), 256 is the beginning of sequence {@code <s>}, which
 * the post-processor puts before every text, and 257 the end of sequence {@code </s>}. The ByteLevel
 * pre-tokenizer sits inside a Sequence, the form in which Jlama (the runtime benchmark's peer) also reads
 * byte-level spelling; with no merges, its word splitting does not change the tokens. Merged symbols take the
 * ids after {@code </s>}.
 */
public final class ByteLevelTokenizer {
    public static final int BEGIN_OF_SEQUENCE = 256;
    public static final int END_OF_SEQUENCE = 257;
    /** Ids the tokenizer can produce. */
    public static final int SIZE = 258;

    private ByteLevelTokenizer() {}

    /** Writes {@code tokenizer.json} at {@code file}: one token per byte, no merges. */
    public static void write(Path file) throws IOException {
        write(file, List.of());
    }

    /**
     * Writes {@code tokenizer.json} at {@code file} with BPE {@code merges} (each two symbols in GPT-2's byte
     * characters, in the order they apply): each merged symbol gets the next id from {@link #SIZE} on, in order;
     * a symbol two merges make gets the first one's id.
     */
    public static void write(Path file, List<String[]> merges) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        addSpecial(added, BEGIN_OF_SEQUENCE, "<s>");
        addSpecial(added, END_OF_SEQUENCE, "</s>");
        root.putNull("normalizer");
        ObjectNode preTokenizer = root.putObject("pre_tokenizer");
        preTokenizer.put("type", "Sequence");
        ObjectNode byteLevel = preTokenizer.putArray("pretokenizers").addObject();
        byteLevel.put("type", "ByteLevel");
        byteLevel.put("add_prefix_space", false);
        byteLevel.put("trim_offsets", true);
        byteLevel.put("use_regex", true);

        ObjectNode postProcessor = root.putObject("post_processor");
        postProcessor.put("type", "TemplateProcessing");
        ArrayNode single = postProcessor.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = postProcessor.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode special = postProcessor.putObject("special_tokens").putObject("<s>");
        special.put("id", "<s>");
        special.putArray("ids").add(BEGIN_OF_SEQUENCE);
        special.putArray("tokens").add("<s>");

        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "ByteLevel");
        decoder.put("add_prefix_space", false);
        decoder.put("trim_offsets", true);
        decoder.put("use_regex", false);

        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode vocabulary = model.putObject("vocab");
        char[] characters = byteCharacters();
        for (int b = 0; b < 256; b++) {
            vocabulary.put(String.valueOf(characters[b]), b);
        }
        vocabulary.put("<s>", BEGIN_OF_SEQUENCE);
        vocabulary.put("</s>", END_OF_SEQUENCE);
        int next = SIZE;
        ArrayNode mergeList = model.putArray("merges");
        for (String[] merge : merges) {
            if (!vocabulary.has(merge[0]) || !vocabulary.has(merge[1])) {
                throw new IllegalArgumentException("merge " + merge[0] + " " + merge[1]
                        + " uses a symbol that no byte or earlier merge makes");
            }
            String symbol = merge[0] + merge[1];
            if (!vocabulary.has(symbol)) {
                vocabulary.put(symbol, next++);
            }
            mergeList.add(merge[0] + " " + merge[1]);
        }
        Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    }

    private static void addSpecial(ArrayNode added, int id, String content) {
        ObjectNode token = added.addObject();
        token.put("id", id);
        token.put("content", content);
        token.put("single_word", false);
        token.put("lstrip", false);
        token.put("rstrip", false);
        token.put("normalized", false);
        token.put("special", true);
    }

    /**
     * GPT-2's table from bytes to printable characters: printable Latin-1 bytes stand for themselves,
     * the others (controls, space, soft hyphen) are moved to U+0100 onwards, in byte order.
     */
    public static char[] byteCharacters() {
        char[] characters = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            characters[b] = printable ? (char) b : (char) next++;
        }
        return characters;
    }
}
