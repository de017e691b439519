// An adapter name that is neither in the catalogue directory nor registered in memory.
package io.synod.adapters.store;

import io.synod.adapters.lora.AdapterException;
import java.util.List;

/** No adapter of that name; the message lists a few that exist. */
public final class UnknownAdapterException extends AdapterException {

    private final String name;
    private final List<String> known;

    UnknownAdapterException(String name, List<String> known, int total, String where) {
        super("no adapter named '" + name + "' in " + where + "; "
                + (known.isEmpty() ? "the catalogue is empty"
                : "known adapters: " + String.join(", ", known)
                + (total > known.size() ? " (and " + (total - known.size()) + " more)" : "")));
        this.name = name;
        this.known = List.copyOf(known);
    }

    /** The name asked for. */
    public String name() {
        return name;
    }

    /** Up to ten names from the catalogue, sorted, as the message lists them. */
    public List<String> known() {
        return known;
    }
}
