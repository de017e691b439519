// Folds text for matching: case, accents, apostrophes, hyphens and punctuation do not matter.
package io.synod.kg.linking;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * The one normalisation shared by labels and queries, so that both sides always agree.
 *
 * <p>Each code point is lower-cased, decomposed (NFD) and stripped of its combining marks; a few Latin
 * letters that do not decompose are spelled out ({@code ł -> l}, {@code ø -> o}, {@code ß -> ss},
 * {@code æ -> ae}, ...). Every character that is then not a letter or digit (spaces, apostrophes of any
 * kind, hyphens, punctuation) separates tokens. The normal form of a text is its tokens joined by single
 * spaces: {@code "Côte d’Ivoire"} and {@code "cote d'ivoire"} both become {@code "cote d ivoire"}.
 *
 * <p>Stateless and thread-safe.
 */
public final class TextNormalizer {

    /**
     * Changes whenever the normal form of some text changes, so that normal forms persisted by an older
     * version are recomputed rather than trusted.
     */
    public static final int VERSION = 1;

    /** A token of the original text: its normal form and where it sits, as {@code [start, end)} char offsets. */
    public record Token(String text, int start, int end) {
    }

    // Folded forms of BMP characters outside ASCII, filled lazily; a racy fill is harmless (same value).
    private static final String[] FOLDED = new String[0x10000];

    private TextNormalizer() {
    }

    /** The normal form: folded tokens joined by single spaces ({@code ""} when the text has no letter or digit). */
    public static String normalize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (Token token : tokens(text)) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(token.text());
        }
        return out.toString();
    }

    /** The folded tokens of {@code text} with their offsets in it. */
    public static List<Token> tokens(String text) {
        List<Token> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int start = -1;
        int end = -1;
        int index = 0;
        int length = text.length();
        while (index < length) {
            int codePoint = text.codePointAt(index);
            int next = index + Character.charCount(codePoint);
            if (codePoint < 0x80) {
                if (isAsciiLetterOrDigit(codePoint)) {
                    if (current.length() == 0) {
                        start = index;
                    }
                    current.append((char) (codePoint | (codePoint >= 'A' && codePoint <= 'Z' ? 0x20 : 0)));
                    end = next;
                } else if (current.length() > 0) {
                    tokens.add(new Token(current.toString(), start, end));
                    current.setLength(0);
                }
            } else {
                String folded = fold(codePoint);
                if (folded.isEmpty()) {
                    // A combining mark on its own (text already in NFD): it belongs to the token it follows.
                    if (current.length() > 0) {
                        end = next;
                    }
                }
                for (int i = 0; i < folded.length(); i++) {
                    char c = folded.charAt(i);
                    if (c != ' ') {
                        if (current.length() == 0) {
                            start = index;
                        }
                        current.append(c);
                        end = next;
                    } else if (current.length() > 0) {
                        tokens.add(new Token(current.toString(), start, end));
                        current.setLength(0);
                    }
                }
            }
            index = next;
        }
        if (current.length() > 0) {
            tokens.add(new Token(current.toString(), start, end));
        }
        return tokens;
    }

    private static boolean isAsciiLetterOrDigit(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** The folded form of one non-ASCII code point: letters and digits, with ' ' for each separator. */
    private static String fold(int codePoint) {
        if (codePoint < FOLDED.length) {
            String cached = FOLDED[codePoint];
            if (cached == null) {
                cached = computeFold(codePoint);
                FOLDED[codePoint] = cached;
            }
            return cached;
        }
        return computeFold(codePoint);
    }

    private static String computeFold(int codePoint) {
        String decomposed = Normalizer.normalize(new String(Character.toChars(codePoint)), Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        decomposed.codePoints().forEach(part -> {
            int type = Character.getType(part);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                    || type == Character.COMBINING_SPACING_MARK) {
                return;
            }
            int lower = Character.toLowerCase(part);
            String spelled = spelledOut(lower);
            if (spelled != null) {
                out.append(spelled);
            } else if (Character.isLetterOrDigit(lower)) {
                out.appendCodePoint(lower);
            } else {
                out.append(' ');
            }
        });
        return out.toString();
    }

    /** Latin letters that NFD leaves alone but that people type without their stroke or ligature. */
    private static String spelledOut(int lower) {
        return switch (lower) {
            case 'ł' -> "l";
            case 'ø' -> "o";
            case 'đ' -> "d";
            case 'ħ' -> "h";
            case 'ı' -> "i";
            case 'ŧ' -> "t";
            case 'ß' -> "ss";
            case 'æ' -> "ae";
            case 'œ' -> "oe";
            case 'þ' -> "th";
            default -> null;
        };
    }
}
