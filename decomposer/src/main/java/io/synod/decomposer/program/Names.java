// Comparing answer items the way a person would: ignoring case, accents and punctuation, using every name.
package io.synod.decomposer.program;

import io.synod.solvers.reasoning.Value;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Name normalisation and item identity shared by the executor and the symbolic handlers. */
public final class Names {

    private Names() {
    }

    /**
     * {@code text} lower-cased, without accents, with "&amp;" read as "and" and every other run of
     * punctuation or space turned into one space: "Trinidad &amp; Tobago" and "trinidad and tobago."
     * normalise alike, as do "Lomé" and "Lome".
     */
    public static String normalise(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        return decomposed.toLowerCase(Locale.ROOT)
                .replace("&", " and ")
                .replaceAll("[^\\p{L}\\p{N}]+", " ")
                .strip();
    }

    /** Whether some name of {@code value} ({@link Value#names()}) normalises to the same text as {@code text}. */
    public static boolean matches(Value value, String text) {
        String wanted = normalise(text);
        return value.names().stream().anyMatch(name -> normalise(name).equals(wanted));
    }

    /**
     * Whether two items are the same: by graph id when both have one, otherwise when a name of one
     * matches a name of the other.
     */
    public static boolean sameItem(Value first, Value second) {
        if (first.id() != null && second.id() != null) {
            return first.id().equals(second.id());
        }
        return first.names().stream().anyMatch(name -> matches(second, name));
    }

    /** {@code values} without repeats ({@link #sameItem}), keeping the first of each in order. */
    public static List<Value> distinct(List<Value> values) {
        var kept = new ArrayList<Value>();
        for (Value value : values) {
            if (kept.stream().noneMatch(seen -> sameItem(seen, value))) {
                kept.add(value);
            }
        }
        return List.copyOf(kept);
    }
}
