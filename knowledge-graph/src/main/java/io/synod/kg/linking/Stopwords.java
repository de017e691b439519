// English function words and question words that are never an entity mention on their own.
package io.synod.kg.linking;

import java.util.List;
import java.util.Set;

/** A fixed set of normalised English stopwords. Thread-safe (immutable). */
final class Stopwords {

    private static final Set<String> WORDS = Set.copyOf(List.of(
            "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are",
            "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
            "can", "could", "did", "do", "does", "doing", "down", "during", "each", "either", "every", "few",
            "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him",
            "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "least", "less",
            "many", "may", "me", "might", "more", "most", "much", "must", "my", "neither", "no", "nor", "not",
            "of", "off", "on", "once", "one", "only", "or", "other", "our", "ours", "out", "over", "own",
            "same", "shall", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs",
            "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under",
            "until", "up", "upon", "very", "was", "we", "were", "what", "whatever", "when", "where",
            "whereas", "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within",
            "without", "would", "yes", "yet", "you", "your", "yours",
            // Question verbs and fillers that happen to be place names somewhere (GeoNames has a "Used").
            "name", "named", "called", "tell", "give", "list", "show", "find", "use", "used", "uses", "using",
            "located", "situated", "lies", "lie", "spoken", "known", "get", "got", "go", "goes", "come", "comes",
            "make", "made", "say", "said", "see", "seen", "take", "taken", "like", "well", "still", "even",
            "ever", "never", "often", "always", "now", "today", "currently", "please"));

    private Stopwords() {
    }

    /** True for a stopword and for any single character (the "s" of "Togo's", the "d" of "d'Ivoire"). */
    static boolean isStopword(String normalisedToken) {
        return normalisedToken.length() == 1 || WORDS.contains(normalisedToken);
    }
}
