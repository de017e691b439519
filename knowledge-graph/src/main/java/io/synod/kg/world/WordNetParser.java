// Parses the lines of a WordNet 3.1 data file (data.noun, ...) as described in WordNet's wndb(5) format.
package io.synod.kg.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses {@code offset lex_filenum ss_type w_cnt word lex_id ... p_cnt ptr... [frames] | gloss}, where
 * {@code w_cnt} and {@code lex_id} are hexadecimal, {@code p_cnt} is decimal and each pointer is
 * {@code symbol offset pos source/target}. Verb frames ({@code f_cnt + f_num w_num}) are skipped.
 */
final class WordNetParser {

    private WordNetParser() {}

    /** Returns the synset on this line, or empty for the licence header (lines that start with two spaces). */
    static Optional<WordNetSynset> parseLine(String line) {
        if (line.startsWith("  ") || line.isBlank()) {
            return Optional.empty();
        }
        int glossStart = line.indexOf(" | ");
        String fields = glossStart < 0 ? line : line.substring(0, glossStart);
        String gloss = glossStart < 0 ? "" : line.substring(glossStart + 3).trim();
        String[] tokens = fields.trim().split(" +");
        try {
            return Optional.of(parseFields(tokens, gloss));
        } catch (RuntimeException malformed) {
            throw new IllegalArgumentException("not a WordNet data line (offset lex_filenum ss_type w_cnt ...): "
                    + abbreviate(line), malformed);
        }
    }

    private static WordNetSynset parseFields(String[] tokens, String gloss) {
        String offset = tokens[0];
        char partOfSpeech = tokens[2].charAt(0);
        int wordCount = Integer.parseInt(tokens[3], 16);
        int position = 4;
        List<String> lemmas = new ArrayList<>(wordCount);
        for (int word = 0; word < wordCount; word++) {
            lemmas.add(cleanLemma(tokens[position]));
            position += 2; // the word and its lex_id
        }
        int pointerCount = Integer.parseInt(tokens[position++]);
        List<WordNetSynset.Pointer> pointers = new ArrayList<>(pointerCount);
        for (int pointer = 0; pointer < pointerCount; pointer++) {
            pointers.add(new WordNetSynset.Pointer(tokens[position], tokens[position + 1],
                    tokens[position + 2].charAt(0), tokens[position + 3]));
            position += 4;
        }
        return new WordNetSynset(offset, partOfSpeech, lemmas, pointers, gloss);
    }

    /** "kind_of_thing" becomes "kind of thing"; adjective markers such as "(a)", "(p)", "(ip)" are dropped. */
    static String cleanLemma(String word) {
        return word.replaceFirst("\\((a|p|ip)\\)$", "").replace('_', ' ');
    }

    private static String abbreviate(String line) {
        return line.length() <= 120 ? line : line.substring(0, 120) + "...";
    }
}
